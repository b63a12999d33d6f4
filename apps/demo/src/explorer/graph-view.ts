/**
 * Draws a laid-out graph as SVG: wheel or pinch to zoom, drag to pan, keyboard (+ - arrows 0),
 * and a fit button. It opens fitted to the graph's bounding box when labels stay readable
 * there, else at the top of the network at a readable scale.
 */
import { drawInFrames, h, nextFrame, svg } from '../ui/dom.js';
import type { Layout } from './layout.js';

/** Colour class per op kind (see style.css). */
const OP_CLASS: Readonly<Record<string, string>> = {
  Conv2D: 'conv', Dense: 'dense', MaxPool2D: 'pool', AvgPool2D: 'pool', GlobalAvgPool2D: 'pool', Subsampling: 'pool',
  BatchNorm: 'norm', LRN: 'norm', Activation: 'act', Dropout: 'act', Add: 'merge', Concatenate: 'merge', Input: 'io',
};

/** The labels' font size in graph units (style.css: svg.graph text). */
export const LABEL_UNITS = 11;
/** The smallest on-screen label size, in CSS pixels, the graph opens fitted at. */
export const MIN_LABEL_PX = 9;
/** The label size when it opens at the top instead. */
const TOP_LABEL_PX = 12;

interface View { x: number; y: number; w: number; h: number }
interface Box { x: number; y: number; w: number; h: number }

/** The smallest box holding every node and group (ELK's root size includes padding and can be far wider). */
export function boundingBox(layout: Layout): Box {
  const shapes = [...layout.nodes, ...layout.groups];
  if (shapes.length === 0) return { x: 0, y: 0, w: Math.max(layout.width, 1), h: Math.max(layout.height, 1) };
  const x0 = Math.min(...shapes.map((s) => s.x));
  const y0 = Math.min(...shapes.map((s) => s.y));
  const x1 = Math.max(...shapes.map((s) => s.x + s.width));
  const y1 = Math.max(...shapes.map((s) => s.y + s.height));
  return { x: x0, y: y0, w: Math.max(x1 - x0, 1), h: Math.max(y1 - y0, 1) };
}

export interface GraphView {
  readonly element: HTMLElement;
  /** The <svg> itself (saved as SVG / PNG by the Inspect page). */
  readonly svg: SVGSVGElement;
  /** The graph's bounding box in graph units. */
  readonly box: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  /** Marks a node selected and brings it into view. */
  select(id: string): void;
  /** Settles when every shape is drawn and the view opened (data-opened="true"); big graphs draw over several frames. */
  readonly drawn: Promise<void>;
}

export interface GraphOptions {
  /** The graph's accessible name ("LeNet-5 layer graph"). */
  readonly label: string;
  /** Called with a node's id when it is clicked (or chosen by Enter while focused). */
  readonly onSelect?: (id: string) => void;
}

/** Nodes (with as many edges and blocks) drawn per frame: ResNet-152's 515 in one go is a 150 ms task. */
const DRAW_CHUNK = 64;

export function renderGraph(layout: Layout, options: GraphOptions): GraphView {
  const selectable = options.onSelect !== undefined;
  // One layer each for blocks, edges and nodes, so shapes drawn in later frames keep that stacking.
  const layers = { groups: svg('g'), edges: svg('g'), nodes: svg('g') };
  const root = svg('svg', {
    class: 'graph', 'data-testid': 'graph', role: 'img', tabindex: 0,
    'aria-label': `${options.label}: ${layout.nodes.length} layers. Plus and minus zoom, arrow keys pan, 0 fits.`,
  },
  svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 6, markerHeight: 6, orient: 'auto' },
    svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrowhead' }))),
  layers.groups, layers.edges, layers.nodes);
  const drawShapes = (from: number, to: number) => {
    const slice = <T>(xs: readonly T[]) => xs.slice(from, to);
    layers.groups.append(...slice(layout.groups).map((g) => svg('g', { class: 'group' },
      svg('rect', { x: g.x, y: g.y, width: g.width, height: g.height, rx: 6 }),
      svg('text', { x: g.x + 8, y: g.y + 15 }, g.id))));
    layers.edges.append(...slice(layout.edges).map((pts) => svg('polyline', { class: 'edge', points: pts.map((p) => `${p.x},${p.y}`).join(' '), 'marker-end': 'url(#arrow)' })));
    layers.nodes.append(...slice(layout.nodes).map((n) => svg('g', { class: `node ${OP_CLASS[n.op] ?? 'other'}${selectable ? ' selectable' : ''}`, 'data-node': n.id },
      svg('rect', { x: n.x, y: n.y, width: n.width, height: n.height, rx: 4 }),
      svg('text', { x: n.x + 8, y: n.y + 14, class: 'name' }, n.label),
      svg('text', { x: n.x + 8, y: n.y + 28, class: 'detail' }, n.detail))));
  };
  const shapes = Math.max(layout.nodes.length, layout.edges.length, layout.groups.length);

  const box = boundingBox(layout);
  let view: View = { ...box };
  const apply = () => root.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const size = () => {
    const r = root.getBoundingClientRect();
    return { width: Math.max(r.width, 1), height: Math.max(r.height, 1), left: r.left, top: r.top };
  };
  // The viewBox keeps the element's aspect ratio, so one scale holds for both axes.
  const setView = (x: number, y: number, w: number) => {
    const s = size();
    view = { x, y, w, h: (w * s.height) / s.width };
    apply();
  };
  // Zooms by `factor` keeping the point at fraction (fx, fy) of the view where it is.
  const zoom = (factor: number, fx = 0.5, fy = 0.5) => {
    const w = Math.min(Math.max(view.w * factor, 40), Math.max(box.w, box.h) * 4);
    const hh = (w / view.w) * view.h;
    view = { x: view.x + (view.w - w) * fx, y: view.y + (view.h - hh) * fy, w, h: hh };
    apply();
  };
  const pan = (dx: number, dy: number) => {
    view = { ...view, x: view.x + dx * view.w, y: view.y + dy * view.h };
    apply();
  };
  const fit = () => {
    const s = size();
    const w = Math.max(box.w, (box.h * s.width) / s.height) * 1.04;
    setView(box.x + box.w / 2 - w / 2, box.y + box.h / 2 - ((w * s.height) / s.width) / 2, w);
  };
  // The top of the network at the readable scale, centred on the nodes seen there.
  const readableWidth = () => (size().width * LABEL_UNITS) / TOP_LABEL_PX;
  const top = () => {
    const w = readableWidth();
    const hh = (w * size().height) / size().width;
    const seen = layout.nodes.filter((n) => n.y < box.y + hh);
    const cx = seen.length > 0 ? (Math.min(...seen.map((n) => n.x)) + Math.max(...seen.map((n) => n.x + n.width))) / 2 : box.x + box.w / 2;
    setView(cx - w / 2, box.y - 8, w);
  };
  // Fitted when labels stay readable there, else the top at a readable scale.
  const open = () => {
    const s = size();
    const fitScale = Math.min(s.width / box.w, s.height / box.h);
    if (fitScale * LABEL_UNITS >= MIN_LABEL_PX) fit();
    else top();
  };

  const nodeAt = (target: EventTarget | null) => (target instanceof Element ? target.closest('[data-node]')?.getAttribute('data-node') ?? undefined : undefined);
  root.addEventListener('wheel', (e) => {
    e.preventDefault();
    const s = size();
    // ctrlKey: a trackpad pinch arrives as a wheel event with larger steps.
    zoom(Math.exp(e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), (e.clientX - s.left) / s.width, (e.clientY - s.top) / s.height);
  }, { passive: false });

  // Pointers down: one drags the view, two pinch (zoom about their midpoint).
  const pointers = new Map<number, { x: number; y: number }>();
  let drag: { x: number; y: number; view: View; moved: boolean } | undefined;
  let pinch: { dist: number } | undefined;
  const spread = () => {
    const [a, b] = [...pointers.values()];
    return { dist: Math.hypot(a!.x - b!.x, a!.y - b!.y), mx: (a!.x + b!.x) / 2, my: (a!.y + b!.y) / 2 };
  };
  root.addEventListener('pointerdown', (e) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    try {
      root.setPointerCapture(e.pointerId);
    } catch {
      // A pointer the browser no longer tracks (or a synthetic one) cannot be captured; moves still arrive.
    }
    if (pointers.size === 2) {
      drag = undefined;
      pinch = { dist: spread().dist };
    } else if (pointers.size === 1) {
      drag = { x: e.clientX, y: e.clientY, view: { ...view }, moved: false };
    }
  });
  root.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pinch && pointers.size === 2) {
      const now = spread();
      const s = size();
      if (now.dist > 0) zoom(pinch.dist / now.dist, (now.mx - s.left) / s.width, (now.my - s.top) / s.height);
      pinch.dist = now.dist;
    } else if (drag) {
      const scale = view.w / size().width;
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
      view = { ...drag.view, x: drag.view.x - (e.clientX - drag.x) * scale, y: drag.view.y - (e.clientY - drag.y) * scale };
      apply();
    }
  });
  const up = (e: PointerEvent) => {
    const wasClick = drag !== undefined && !drag.moved && pointers.size === 1;
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = undefined;
    if (pointers.size === 0) drag = undefined;
    const id = wasClick && e.type === 'pointerup' ? nodeAt(document.elementFromPoint(e.clientX, e.clientY)) : undefined;
    if (id !== undefined) options.onSelect?.(id);
  };
  root.addEventListener('pointerup', up);
  root.addEventListener('pointercancel', up);
  root.addEventListener('keydown', (e) => {
    const keys: Record<string, () => void> = {
      '+': () => zoom(1 / 1.4), '=': () => zoom(1 / 1.4), '-': () => zoom(1.4), '0': fit,
      ArrowLeft: () => pan(-0.1, 0), ArrowRight: () => pan(0.1, 0), ArrowUp: () => pan(0, -0.1), ArrowDown: () => pan(0, 0.1),
    };
    const act = keys[e.key];
    if (act === undefined) return;
    e.preventDefault();
    act();
  });
  apply();

  const select = (id: string) => {
    root.querySelectorAll('.node.selected').forEach((n) => n.classList.remove('selected'));
    const n = layout.nodes.find((x) => x.id === id);
    root.querySelector(`[data-node="${CSS.escape(id)}"]`)?.classList.add('selected');
    if (n === undefined) return;
    const inside = n.x >= view.x && n.x + n.width <= view.x + view.w && n.y >= view.y && n.y + n.height <= view.y + view.h;
    if (!inside) setView(n.x + n.width / 2 - view.w / 2, n.y + n.height / 2 - view.h / 2, view.w);
  };

  const tools = h('div', { class: 'tools' },
    h('button', { type: 'button', onclick: () => zoom(1 / 1.4) }, 'Zoom in'),
    h('button', { type: 'button', onclick: () => zoom(1.4) }, 'Zoom out'),
    h('button', { type: 'button', onclick: fit }, 'Fit'),
    h('button', { type: 'button', onclick: top }, 'Top, readable'),
    h('span', { class: 'hint' }, `${layout.nodes.length} layers${layout.groups.length ? `, ${layout.groups.length} blocks` : ''}; wheel or pinch to zoom, drag to pan`),
  );
  // Opened (sized by the document) once the element is in it, then drawn a chunk a frame. The
  // view comes first because SVG text is laid out at its on-screen scale: a viewBox set after
  // the shapes lays every label out again (about 140 ms for ResNet-152's 1,100 labels).
  const drawn = (async () => {
    await nextFrame();
    open();
    await drawInFrames(shapes, DRAW_CHUNK, drawShapes);
    root.dataset.opened = 'true'; // tests wait for the first real view with every shape in it
  })();
  return { element: h('div', { class: 'graph-box' }, tools, root), svg: root, box, select, drawn };
}
