/**
 * Inspect, as Netron does: open an .onnx file (imported by @convzoo/onnx in the page) or a
 * model directory's files; click or search a node for its operator, attributes, shapes,
 * parameters and MACs; save the graph as SVG or PNG.
 */
import { Model, checkPreprocessing, decodeSafetensors, formatShape, graphFromJson, type Summary } from '@convzoo/core';
import { decodeOnnx, importOnnx } from '@convzoo/onnx';
import { elk } from '../explorer/elk.js';
import { renderGraph, type GraphView } from '../explorer/graph-view.js';
import { layoutModel } from '../explorer/layout.js';
import { dropZone } from '../ui/drop.js';
import { download, fmtInt, fmtSi, h, nextFrame, setStatus, statusLine } from '../ui/dom.js';
import { graphPng, graphSvg } from './save-graph.js';

interface Opened {
  readonly name: string;
  readonly model: Model;
  /** A line about the file itself (ONNX producer and opset). */
  readonly origin: string;
}

/** An .onnx file, or graph.json + weights.safetensors (+ preprocessing.json) of one model directory. */
async function open(files: File[]): Promise<Opened> {
  const onnx = files.find((f) => f.name.toLowerCase().endsWith('.onnx'));
  if (onnx) {
    const bytes = new Uint8Array(await onnx.arrayBuffer());
    const proto = decodeOnnx(bytes, onnx.name);
    const opsets = [...proto.opsets].map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ');
    return { name: onnx.name, model: importOnnx(bytes, { file: onnx.name }), origin: `ONNX by ${proto.producer || 'an unnamed producer'}, opset ${opsets}, ${proto.graph.nodes.length} ONNX nodes` };
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const graph = byName.get('graph.json');
  const weights = byName.get('weights.safetensors');
  if (!graph || !weights) {
    throw new Error(`${files.map((f) => f.name).join(', ')}: expected an .onnx file, or a model directory's graph.json and weights.safetensors (preprocessing.json optional)`);
  }
  const prep = byName.get('preprocessing.json');
  const { tensors } = decodeSafetensors(new Uint8Array(await weights.arrayBuffer()), weights.name);
  const preprocessing = prep ? checkPreprocessing(JSON.parse(await prep.text())) : undefined;
  return { name: 'model directory', model: new Model(graphFromJson(await graph.text(), graph.name), tensors, { preprocessing }), origin: 'convzoo model directory' };
}

/** A node's shape, or "?" where the graph cannot give one. */
function fmtShapeSafe(model: Model, node: string): string {
  try {
    return formatShape(model.shapeOf(node));
  } catch {
    return '?';
  }
}

const attrText = (v: unknown): string => (Array.isArray(v) ? v.join(' x ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function details(model: Model, summary: Summary, id: string): HTMLElement {
  const node = model.nodes.find((n) => n.name === id)!;
  const layer = summary.layers.find((l) => l.name === id)!;
  const params = model.paramEntries().filter((p) => p.node === id);
  const row = (k: string, v: string) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v));
  return h('div', {},
    h('h3', {}, id),
    h('table', { 'data-testid': 'node-summary' }, h('tbody', {},
      row('operator', node.op),
      row('inputs', node.inputs.map((i) => `${i} ${fmtShapeSafe(model, i)}`).join('; ') || '—'),
      row('output', fmtShapeSafe(model, id)),
      row('params', `${fmtInt(layer.params.trainable + layer.params.nonTrainable)} (${fmtInt(layer.params.nonTrainable)} non-trainable)`),
      row('MACs', fmtInt(layer.macs)))),
    h('h4', {}, 'Attributes'),
    Object.keys(node.attrs).length === 0 ? h('p', { class: 'hint' }, 'none')
      : h('table', { 'data-testid': 'node-attrs' }, h('tbody', {}, ...Object.entries(node.attrs).map(([k, v]) => row(k, attrText(v))))),
    params.length > 0 ? h('h4', {}, 'Weights') : null,
    params.length > 0 ? h('table', { 'data-testid': 'node-weights' }, h('tbody', {}, ...params.map((p) => row(p.name, `[${p.shape.join(', ')}]`)))) : null);
}

export function inspectPage(root: HTMLElement): void {
  const status = statusLine('inspect-status');
  const info = h('p', { class: 'hint', 'data-testid': 'inspect-info' });
  const graphHost = h('div');
  const detail = h('div', { class: 'panel', 'data-testid': 'node-details', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'click a node, or search for one'));
  const search = h('input', { type: 'search', id: 'node-search', 'data-testid': 'node-search', placeholder: 'name or operator', disabled: true });
  const hits = h('ul', { class: 'hits', 'data-testid': 'search-hits' });
  const saveSvg = h('button', { type: 'button', 'data-testid': 'save-svg', disabled: true }, 'Save SVG');
  const savePng = h('button', { type: 'button', 'data-testid': 'save-png', disabled: true }, 'Save PNG');
  let current: { opened: Opened; summary: Summary; view: GraphView } | undefined;
  // A whole folder (what `convzoo train --out DIR` wrote): its graph.json, weights.safetensors, preprocessing.json are picked out.
  const folder = h('input', { type: 'file', id: 'inspect-folder', webkitdirectory: true, 'data-testid': 'inspect-folder' });
  folder.addEventListener('change', () => {
    const files = [...(folder.files ?? [])].filter((f) => !f.webkitRelativePath.split('/').slice(1, -1).length);
    folder.value = '';
    if (files.length > 0) void load(files);
  });

  const choose = (id: string) => {
    if (!current) return;
    current.view.select(id);
    detail.replaceChildren(details(current.opened.model, current.summary, id));
  };

  search.addEventListener('input', () => {
    if (!current) return;
    const q = search.value.trim().toLowerCase();
    const found = q === '' ? [] : current.opened.model.nodes.filter((n) => n.name.toLowerCase().includes(q) || n.op.toLowerCase().includes(q));
    hits.replaceChildren(...found.slice(0, 30).map((n) => h('li', {}, h('button', { type: 'button', onclick: () => choose(n.name) }, `${n.name} (${n.op})`))),
      ...(found.length > 30 ? [h('li', { class: 'hint' }, `${found.length - 30} more: type more of the name`)] : []));
    hits.setAttribute('aria-label', `${found.length} matching nodes`);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') hits.querySelector('button')?.click();
  });

  const stem = () => current!.opened.model.name;
  saveSvg.addEventListener('click', () => {
    if (!current) return;
    const text = graphSvg(current.view.svg, current.view.box);
    download(`${stem()}-graph.svg`, text, 'image/svg+xml');
    setStatus(status, 'ok', `saved ${stem()}-graph.svg`);
  });
  savePng.addEventListener('click', async () => {
    if (!current) return;
    const { box } = current.view;
    try {
      const png = await graphPng(graphSvg(current.view.svg, box), box.w + 20, box.h + 20);
      download(`${stem()}-graph.png`, png, 'image/png');
      setStatus(status, 'ok', `saved ${stem()}-graph.png (${fmtInt(png.byteLength)} bytes)`);
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    }
  });

  const load = async (files: File[]) => {
    setStatus(status, 'info', `opening ${files.map((f) => f.name).join(', ')}…`);
    await nextFrame();
    try {
      const opened = await open(files);
      const summary = opened.model.summary();
      const layout = await layoutModel(elk, opened.model);
      const view = renderGraph(layout, { label: `${opened.name} graph`, onSelect: (id) => choose(id) });
      graphHost.replaceChildren(view.element);
      await view.drawn;
      current = { opened, summary, view };
      info.textContent = `${opened.origin}: ${opened.model.name}, input [${opened.model.inputShape.join(', ')}], ${summary.layers.length} layers, ${fmtSi(summary.params.trainable + summary.params.nonTrainable)} params, ${fmtSi(summary.macs)} MACs`;
      detail.replaceChildren(h('p', { class: 'hint' }, 'click a node, or search for one'));
      for (const el of [search, saveSvg, savePng]) el.disabled = false;
      search.value = '';
      hits.replaceChildren();
      setStatus(status, 'ok', `opened ${opened.name}: ${summary.layers.length} layers`);
    } catch (e) {
      current = undefined;
      graphHost.replaceChildren();
      info.textContent = '';
      for (const el of [search, saveSvg, savePng]) el.disabled = true;
      setStatus(status, 'error', (e as Error).message);
    }
  };

  root.replaceChildren(h('h2', {}, 'Inspect'),
    dropZone({ label: 'An .onnx file, or a model directory\'s graph.json + weights.safetensors', accept: '.onnx,.json,.safetensors', multiple: true, testId: 'inspect-files', onFiles: (f) => void load(f) }),
    h('p', {}, h('label', { for: 'inspect-folder' }, 'or choose a model directory: '), folder),
    status, info,
    h('p', { class: 'row' }, h('label', { for: 'node-search' }, 'Search nodes '), search, saveSvg, savePng),
    hits,
    h('div', { class: 'inspect' }, graphHost, detail));
  setStatus(status, 'info', 'open a model file to inspect it');
}
