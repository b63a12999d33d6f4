/**
 * Export: the chosen model as ONNX (NCHW or NHWC input, each its own file name) and as a model
 * directory under the names the CLI reads (graph.json, weights.safetensors, preprocessing.json,
 * or all three in one zip), made in the page; a trained model keeps its training metadata.
 */
import type { Model } from '@convzoo/core';
import { exportOnnx } from '@convzoo/backend-ort/export';
import { SEEDED, describe, loadModelWithMetadata, type Selection } from '../models/catalog.js';
import { modelFiles, modelZip } from '../models/model-files.js';
import { download, fmtInt, h, latestOnly, nextFrame, setStatus, statusLine } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';

/** The model's name: "resnet18-paper-seed0", or the trained model's directory name. */
function stem(s: Selection): string {
  return s.weights === SEEDED ? `${s.arch}-${s.variant}-seed${s.seed}` : s.weights;
}

type Layout = 'nchw' | 'nhwc';

interface Current {
  readonly s: Selection;
  readonly model: Model;
  readonly metadata: Readonly<Record<string, string>>;
}

export function exportPage(root: HTMLElement): void {
  const status = statusLine('export-status');
  const picker = h('div');
  let current: Current | undefined;

  const save = async (what: () => { name: string; data: Uint8Array | string }) => {
    if (!current) return;
    setStatus(status, 'info', 'encoding…');
    await nextFrame();
    try {
      const { name, data } = what();
      download(name, data, name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
      const size = typeof data === 'string' ? new TextEncoder().encode(data).length : data.byteLength;
      setStatus(status, 'ok', `saved ${name} (${fmtInt(size)} bytes)`);
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    }
  };
  const onnx = (layout: Layout) => () => {
    const { s, model } = current!;
    return { name: `${stem(s)}-${layout}.onnx`, data: exportOnnx(model, { inputLayout: layout }) };
  };
  const file = (name: string) => () => {
    const data = modelFiles(current!.model, current!.metadata).get(name);
    if (data === undefined) throw new Error(`${name}: this model records no preprocessing`);
    return { name, data };
  };
  const zipped = () => ({ name: `${stem(current!.s)}.zip`, data: modelZip(stem(current!.s), current!.model, current!.metadata) });

  const button = (testId: string, label: string, what: () => { name: string; data: Uint8Array | string }) =>
    h('button', { type: 'button', 'data-testid': testId, onclick: () => void save(what) }, label);
  const preprocessingButton = button('export-preprocessing', 'preprocessing.json', file('preprocessing.json'));
  const buttons = h('div', {},
    h('p', { class: 'row' }, 'ONNX (opset 17): ',
      button('export-onnx-nchw', 'Download NCHW input (ONNX / PyTorch convention)', onnx('nchw')),
      button('export-onnx-nhwc', 'Download NHWC input (as convzoo)', onnx('nhwc'))),
    h('p', { class: 'row' }, 'Model directory: ',
      button('export-zip', 'Download as .zip', zipped),
      button('export-graph', 'graph.json', file('graph.json')),
      button('export-safetensors', 'weights.safetensors', file('weights.safetensors')),
      preprocessingButton));
  root.replaceChildren(h('h2', {}, 'Export'), picker, buttons, status,
    h('p', { class: 'hint' }, 'Unzip the .zip (or put graph.json, weights.safetensors and preprocessing.json in one folder): `convzoo predict DIR --image photo.jpg`, `convzoo eval DIR` and `convzoo export DIR` read it. A trained model keeps what training recorded (classes, dataset, epoch, input statistics).'));

  const enable = (on: boolean) => buttons.querySelectorAll('button').forEach((b) => (b.disabled = !on || (b === preprocessingButton && current?.model.preprocessing === undefined)));
  const ready = latestOnly(async (s: Selection | undefined, stale) => {
    current = undefined;
    enable(false);
    if (s === undefined) return setStatus(status, 'error', 'nothing to export: fix the option marked above');
    setStatus(status, 'info', `building ${describe(s)}…`);
    await nextFrame();
    try {
      const { model, metadata } = await loadModelWithMetadata(s);
      if (stale()) return;
      current = { s, model, metadata };
      enable(true);
      setStatus(status, 'ok', `ready: ${describe(s)}`);
    } catch (e) {
      if (!stale()) setStatus(status, 'error', (e as Error).message);
    }
  });
  mountPicker(picker, ready, () => ready(undefined));
}
