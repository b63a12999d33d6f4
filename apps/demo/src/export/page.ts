/**
 * Export: the chosen model as ONNX (NCHW or NHWC input, each its own file name) and as a model
 * directory under the names the CLI reads (graph.json, weights.safetensors, preprocessing.json,
 * or all three in one zip), built and encoded in the model worker (VGG's files are hundreds of
 * MB: the page says the size before writing and stays responsive); a trained model keeps its
 * training metadata.
 */
import { SEEDED, describe, type Selection } from '../models/catalog.js';
import { ask } from '../models/model-client.js';
import type { ExportFormat } from '../models/model-worker.js';
import { download, fmtInt, h, latestOnly, progressBar, setProgress, setStatus, statusLine } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';

/** The model's name: "resnet18-paper-seed0", or the trained model's directory name. */
function stem(s: Selection): string {
  return s.weights === SEEDED ? `${s.arch}-${s.variant}-seed${s.seed}` : s.weights;
}

const fileName = (s: Selection, format: ExportFormat): string => {
  switch (format) {
    case 'onnx-nchw': return `${stem(s)}-nchw.onnx`;
    case 'onnx-nhwc': return `${stem(s)}-nhwc.onnx`;
    case 'zip': return `${stem(s)}.zip`;
    default: return format;
  }
};

export function exportPage(root: HTMLElement): void {
  const status = statusLine('export-status');
  const progress = progressBar('export-progress');
  const picker = h('div');
  let current: Selection | undefined;
  let busy = false;

  const save = async (format: ExportFormat) => {
    if (!current || busy) return;
    const s = current;
    busy = true;
    enable(false);
    try {
      const { name, blob, bytes } = await ask({ kind: 'export', selection: s, format, name: fileName(s, format) }, (p) => {
        setProgress(progress, p);
        setStatus(status, 'info', p.text);
      });
      download(name, blob, blob.type);
      setStatus(status, 'ok', `saved ${name} (${fmtInt(bytes)} bytes)`);
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    } finally {
      setProgress(progress, null);
      busy = false;
      if (current === s) enable(true);
    }
  };

  let hasPreprocessing = false;
  const button = (testId: string, label: string, format: ExportFormat) =>
    h('button', { type: 'button', 'data-testid': testId, onclick: () => void save(format) }, label);
  const preprocessingButton = button('export-preprocessing', 'preprocessing.json', 'preprocessing.json');
  const buttons = h('div', {},
    h('p', { class: 'row' }, 'ONNX (opset 17): ',
      button('export-onnx-nchw', 'Download NCHW input (ONNX / PyTorch convention)', 'onnx-nchw'),
      button('export-onnx-nhwc', 'Download NHWC input (as convzoo)', 'onnx-nhwc')),
    h('p', { class: 'row' }, 'Model directory: ',
      button('export-zip', 'Download as .zip', 'zip'),
      button('export-graph', 'graph.json', 'graph.json'),
      button('export-safetensors', 'weights.safetensors', 'weights.safetensors'),
      preprocessingButton));
  root.replaceChildren(h('h2', {}, 'Export'), picker, buttons, status, progress,
    h('p', { class: 'hint' }, 'Unzip the .zip (or put graph.json, weights.safetensors and preprocessing.json in one folder): `convzoo predict DIR --image photo.jpg`, `convzoo eval DIR` and `convzoo export DIR` read it. A trained model keeps what training recorded (classes, dataset, epoch, input statistics).'));

  const enable = (on: boolean) => buttons.querySelectorAll('button').forEach((b) => (b.disabled = !on || busy || (b === preprocessingButton && !hasPreprocessing)));
  const ready = latestOnly(async (s: Selection | undefined, stale) => {
    current = undefined;
    enable(false);
    if (s === undefined) return setStatus(status, 'error', 'nothing to export: fix the option marked above');
    setStatus(status, 'info', `building ${describe(s)}…`);
    try {
      const built = await ask({ kind: 'build', selection: s });
      if (stale()) return;
      current = s;
      hasPreprocessing = built.hasPreprocessing;
      enable(true);
      setStatus(status, 'ok', `ready: ${describe(s)}`);
    } catch (e) {
      if (!stale()) setStatus(status, 'error', (e as Error).message);
    }
  });
  mountPicker(picker, ready, () => ready(undefined));
}
