/** Export: the chosen model as ONNX, safetensors and graph.json, made in the page and saved as downloads. */
import { encodeSafetensors, graphToJson, type Model } from '@convzoo/core';
import { exportOnnx } from '@convzoo/backend-ort/export';
import { SEEDED, describe, loadModel, type Selection } from '../models/catalog.js';
import { download, fmtInt, h, latestOnly, nextFrame, setStatus } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';

/** The file stem: "resnet18-paper-seed0", or the trained model's directory name. */
function stem(s: Selection): string {
  return s.weights === SEEDED ? `${s.arch}-${s.variant}-seed${s.seed}` : s.weights;
}

export function exportPage(root: HTMLElement): void {
  const status = h('p', { class: 'status', 'data-testid': 'export-status' });
  const layout = h('select', { name: 'layout' }, h('option', { value: 'nchw' }, 'NCHW (ONNX / PyTorch convention)'), h('option', { value: 'nhwc' }, 'NHWC (as convzoo)'));
  const picker = h('div');
  let current: { s: Selection; model: Model } | undefined;

  const save = async (what: 'onnx' | 'safetensors' | 'graph') => {
    if (!current) return;
    setStatus(status, 'info', `encoding ${what}…`);
    await nextFrame();
    try {
      const { s, model } = current;
      const name = `${stem(s)}${what === 'onnx' ? '.onnx' : what === 'safetensors' ? '.safetensors' : '.graph.json'}`;
      const bytes = what === 'onnx'
        ? exportOnnx(model, { inputLayout: layout.value as 'nchw' | 'nhwc' })
        : what === 'safetensors' ? encodeSafetensors(model.weights, { convzoo_graph: model.name }) : graphToJson(model.graph);
      download(name, bytes, what === 'graph' ? 'application/json' : 'application/octet-stream');
      const size = typeof bytes === 'string' ? bytes.length : bytes.byteLength;
      setStatus(status, 'ok', `saved ${name} (${fmtInt(size)} bytes)`);
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    }
  };

  const buttons = h('p', { class: 'row' },
    h('button', { type: 'button', 'data-testid': 'export-onnx', onclick: () => void save('onnx') }, 'Download ONNX'),
    h('label', {}, 'input layout ', layout),
    h('button', { type: 'button', 'data-testid': 'export-safetensors', onclick: () => void save('safetensors') }, 'Download safetensors'),
    h('button', { type: 'button', 'data-testid': 'export-graph', onclick: () => void save('graph') }, 'Download graph.json'));
  root.replaceChildren(h('h2', {}, 'Export'), picker, buttons, status,
    h('p', { class: 'hint' }, 'graph.json + weights.safetensors make a model directory that `convzoo predict` and `convzoo export` read; the ONNX file (opset 17) runs in onnxruntime and PyTorch tooling.'));

  const enable = (on: boolean) => buttons.querySelectorAll('button').forEach((b) => (b.disabled = !on));
  mountPicker(picker, latestOnly(async (s, stale) => {
    current = undefined;
    enable(false);
    setStatus(status, 'info', `building ${describe(s)}…`);
    await nextFrame();
    try {
      const model = await loadModel(s);
      if (stale()) return;
      current = { s, model };
      enable(true);
      setStatus(status, 'ok', `ready: ${describe(s)}`);
    } catch (e) {
      if (!stale()) setStatus(status, 'error', (e as Error).message);
    }
  }));
}
