/** The drawing canvas: white strokes on black, like MNIST. */
import { h } from '../ui/dom.js';
import type { Gray } from './mnist-format.js';

export interface Pad {
  readonly canvas: HTMLCanvasElement;
  clear(): void;
  /** The drawing as grayscale in [0, 1]. */
  gray(): Gray;
}

/** `onDraw` runs after each stroke segment (the caller throttles). */
export function createPad(size: number, onDraw: () => void): Pad {
  const canvas = h('canvas', { width: size, height: size, class: 'pad', 'data-testid': 'digit-canvas' });
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
  };
  clear();
  // A pen about two MNIST pixels wide once a digit drawn across most of the pad is scaled to its 20-pixel box.
  ctx.lineWidth = size / 14;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff';

  let last: { x: number; y: number } | undefined;
  const at = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * size) / r.width, y: ((e.clientY - r.top) * size) / r.height };
  };
  const segment = (to: { x: number; y: number }) => {
    ctx.beginPath();
    ctx.moveTo(last!.x, last!.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last = to;
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    segment(last); // a dot for a click without movement
    onDraw();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (last === undefined) return;
    segment(at(e));
    onDraw();
  });
  const end = () => (last = undefined);
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    canvas,
    clear,
    gray() {
      const rgba = ctx.getImageData(0, 0, size, size).data;
      const data = new Float32Array(size * size);
      for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i]! / 255;
      return { width: size, height: size, data };
    },
  };
}
