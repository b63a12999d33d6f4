/** Two small SVG charts, redrawn whole on each update (a handful of elements, so cheap). */
import { svg } from './dom.js';

const W = 320;
const H = 160;
const PAD = 24;

/** Vertical bars in [0, 1] (class probabilities), the largest highlighted, labels under each bar. */
export function renderBars(host: SVGSVGElement, values: readonly number[], labels: readonly string[]): void {
  host.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const best = values.indexOf(Math.max(...values));
  const slot = (W - PAD) / Math.max(values.length, 1);
  const plot = H - 2 * PAD;
  host.replaceChildren(
    svg('line', { x1: PAD / 2, x2: W - PAD / 2, y1: H - PAD, y2: H - PAD, class: 'axis' }),
    ...values.flatMap((v, i) => {
      const x = PAD / 2 + i * slot + slot * 0.15;
      const bh = Math.max(0, Math.min(1, v)) * plot;
      return [
        svg('rect', { x, y: H - PAD - bh, width: slot * 0.7, height: bh, class: i === best ? 'bar best' : 'bar' },
          svg('title', {}, `${labels[i]}: ${(100 * v).toFixed(1)}%`)),
        svg('text', { x: x + slot * 0.35, y: H - PAD / 3, class: 'tick' }, labels[i]),
      ];
    }),
  );
}

/** A line through the values (a loss curve), y from 0 to the largest value seen. */
export function renderLine(host: SVGSVGElement, values: readonly number[]): void {
  host.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const max = Math.max(...values, 1e-9);
  const x = (i: number) => PAD + (i / Math.max(values.length - 1, 1)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  host.replaceChildren(
    svg('line', { x1: PAD, x2: W - PAD, y1: H - PAD, y2: H - PAD, class: 'axis' }),
    svg('line', { x1: PAD, x2: PAD, y1: PAD, y2: H - PAD, class: 'axis' }),
    svg('text', { x: 2, y: PAD, class: 'tick start' }, max.toFixed(2)),
    svg('text', { x: 2, y: H - PAD, class: 'tick start' }, '0'),
    svg('polyline', { points, class: 'line' }),
  );
}
