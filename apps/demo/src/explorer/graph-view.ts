/** Draws a laid-out graph as SVG with wheel zoom, drag to pan and a fit button. */
import { h, svg } from '../ui/dom.js';
import type { Layout } from './layout.js';

/** Colour class per op kind (see style.css). */
const OP_CLASS: Readonly<Record<string, string>> = {
  Conv2D: 'conv', Dense: 'dense', MaxPool2D: 'pool', AvgPool2D: 'pool', GlobalAvgPool2D: 'pool', Subsampling: 'pool',
  BatchNorm: 'norm', LRN: 'norm', Activation: 'act', Dropout: 'act', Add: 'merge', Concatenate: 'merge', Input: 'io',
};

interface View { x: number; y: number; w: number; h: number }

export function renderGraph(layout: Layout): HTMLElement {
  const root = svg('svg', { class: 'graph', 'data-testid': 'graph' },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 6, markerHeight: 6, orient: 'auto' },
      svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }))),
    ...layout.groups.map((g) => svg('g', { class: 'group' },
      svg('rect', { x: g.x, y: g.y, width: g.width, height: g.height, rx: 6 }),
      svg('text', { x: g.x + 8, y: g.y + 15 }, g.id))),
    ...layout.edges.map((pts) => svg('polyline', { class: 'edge', points: pts.map((p) => `${p.x},${p.y}`).join(' '), 'marker-end': 'url(#arrow)' })),
    ...layout.nodes.map((n) => svg('g', { class: `node ${OP_CLASS[n.op] ?? 'other'}`, 'data-node': n.id },
      svg('rect', { x: n.x, y: n.y, width: n.width, height: n.height, rx: 4 }),
      svg('text', { x: n.x + 8, y: n.y + 14, class: 'name' }, n.label),
      svg('text', { x: n.x + 8, y: n.y + 28, class: 'detail' }, n.detail))),
  );

  const full: View = { x: 0, y: 0, w: Math.max(layout.width, 1), h: Math.max(layout.height, 1) };
  let view: View = { ...full };
  const apply = () => root.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  // Zooms by `factor` keeping the point at fraction (fx, fy) of the view where it is.
  const zoom = (factor: number, fx = 0.5, fy = 0.5) => {
    const w = Math.min(Math.max(view.w * factor, 40), full.w * 4);
    const hh = (w / view.w) * view.h;
    view = { x: view.x + (view.w - w) * fx, y: view.y + (view.h - hh) * fy, w, h: hh };
    apply();
  };
  const fit = () => {
    view = { ...full };
    apply();
  };
  // The top of the graph, centred, at about one screen pixel per unit.
  const top = () => {
    const rect = root.getBoundingClientRect();
    const w = Math.max(rect.width, 600);
    view = { x: (full.w - w) / 2, y: 0, w, h: (w * Math.max(rect.height, 400)) / Math.max(rect.width, 600) };
    apply();
  };

  root.addEventListener('wheel', (e) => {
    e.preventDefault();
    const rect = root.getBoundingClientRect();
    zoom(Math.exp(e.deltaY * 0.0015), (e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height);
  }, { passive: false });
  let drag: { x: number; y: number; view: View } | undefined;
  root.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, view: { ...view } };
    root.setPointerCapture(e.pointerId);
  });
  root.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const scale = view.w / root.getBoundingClientRect().width;
    view = { ...drag.view, x: drag.view.x - (e.clientX - drag.x) * scale, y: drag.view.y - (e.clientY - drag.y) * scale };
    apply();
  });
  root.addEventListener('pointerup', () => (drag = undefined));
  fit();

  const tools = h('div', { class: 'tools' },
    h('button', { type: 'button', onclick: () => zoom(1 / 1.4) }, 'Zoom in'),
    h('button', { type: 'button', onclick: () => zoom(1.4) }, 'Zoom out'),
    h('button', { type: 'button', onclick: fit }, 'Fit'),
    h('button', { type: 'button', onclick: top }, 'Top, 1:1'),
    h('span', { class: 'hint' }, `${layout.nodes.length} layers${layout.groups.length ? `, ${layout.groups.length} blocks` : ''}; wheel to zoom, drag to pan`),
  );
  // Large graphs open at the top at readable scale instead of a full-size speck.
  requestAnimationFrame(() => (layout.height > 1500 ? top() : fit()));
  return h('div', { class: 'graph-box' }, tools, root);
}
