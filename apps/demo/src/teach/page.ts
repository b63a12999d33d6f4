/**
 * Teach, as Teachable Machine does: name 2-10 classes, add images from files or the webcam, and
 * train in the tab on WebGL: a small network from scratch (LeNet-5, modern variant, 32x32 RGB)
 * or a frozen backbone (an architecture with weights from a file, only its classifier trained).
 * Live loss and accuracy per epoch, per-class results, then the model as a directory the CLI
 * reads (zip) and as ONNX.
 */
import { Model, checkPreprocessing, frozenLayers, registry, type CompiledModel, type Preprocessing } from '@convzoo/core';
import { exportOnnx } from '@convzoo/onnx';
import { decodeImage, preprocessBatch, type RgbaImage } from '@convzoo/vision';
import { modelFromReply, readWeights } from '../models/model-client.js';
import { SEEDED } from '../models/catalog.js';
import { modelZip } from '../models/model-files.js';
import { activeBackend, tfjsBackend } from '../run/tfjs-web.js';
import { renderLine } from '../ui/charts.js';
import { dropZone } from '../ui/drop.js';
import { download, fmtInt, h, nextFrame, setStatus, statusLine, svg } from '../ui/dom.js';

export const MIN_CLASSES = 2;
export const MAX_CLASSES = 10;
const DIR = 'teach-model';
const BACKBONES = ['resnet18', 'resnet34', 'resnet50', 'googlenet'] as const;
const BACKBONE_INPUT: [number, number, number] = [64, 64, 3];

/** From scratch: images squashed to 32x32 RGB, scaled to about [-2, 2]. */
export const SCRATCH_PREPROCESSING: Preprocessing = checkPreprocessing({
  preset: 'custom', channels: 'rgb', resize: [32, 32], interpolation: 'bilinear', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25],
});

interface TeachClass {
  readonly name: HTMLInputElement;
  readonly images: RgbaImage[];
  readonly count: HTMLElement;
  readonly row: HTMLElement;
}

/** What is wrong with the class list, or undefined when it can be trained. */
export function classProblem(classes: readonly { name: string; images: number }[]): string | undefined {
  if (classes.length < MIN_CLASSES || classes.length > MAX_CLASSES) return `${classes.length} classes: expected ${MIN_CLASSES} to ${MAX_CLASSES}`;
  const names = classes.map((c) => c.name.trim());
  const blank = names.findIndex((n) => n === '');
  if (blank >= 0) return `class ${blank + 1} has no name: expected a name (it becomes the class folder name for convzoo eval)`;
  const bad = names.find((n) => /[/\\]/.test(n) || n === '.' || n === '..');
  if (bad !== undefined) return `class name "${bad}": expected a name usable as a folder name (no / or \\)`;
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) return `class name "${dup}" is used twice: expected distinct names`;
  const empty = classes.findIndex((c) => c.images === 0);
  if (empty >= 0) return `class "${names[empty]}" has no images: expected at least one`;
  return undefined;
}

export function teachPage(root: HTMLElement): void {
  const status = statusLine('teach-status');
  const mode = h('select', { id: 'teach-mode', 'data-testid': 'teach-mode' },
    h('option', { value: 'scratch' }, 'a small network from scratch (LeNet-5, 32x32 RGB)'),
    h('option', { value: 'backbone' }, 'a frozen backbone with weights from a file (classifier trained)'));
  const backbone = h('select', { id: 'teach-backbone', 'data-testid': 'teach-backbone' }, ...BACKBONES.map((b) => h('option', { value: b }, b)));
  let backboneFile: File | undefined;
  const backboneStatus = statusLine('teach-backbone-status');
  const backboneBox = h('div', { class: 'panel', hidden: true },
    h('p', {}, h('label', { for: 'teach-backbone' }, 'Backbone '), backbone, ` at ${BACKBONE_INPUT.join('x')}`),
    dropZone({ label: 'Its weight file (.pth, .safetensors, …)', accept: '.pth,.pt,.bin,.safetensors,.onnx,.h5', testId: 'teach-weights', onFiles: (f) => {
      backboneFile = f[0];
      setStatus(backboneStatus, 'ok', `${backboneFile!.name}: read when training starts`);
    } }),
    backboneStatus);
  mode.addEventListener('change', () => (backboneBox.hidden = mode.value !== 'backbone'));

  const epochs = h('input', { id: 'teach-epochs', type: 'number', min: 1, max: 200, value: 20, 'data-testid': 'teach-epochs' });
  const lossChart = svg('svg', { class: 'chart', role: 'img', 'aria-label': 'Training loss per epoch', 'data-testid': 'teach-loss' });
  const accChart = svg('svg', { class: 'chart', role: 'img', 'aria-label': 'Training accuracy per epoch', 'data-testid': 'teach-accuracy' });
  const progress = h('p', { class: 'hint', 'data-testid': 'teach-progress', role: 'status', 'aria-live': 'polite' }, 'not trained yet');
  const results = h('div', { class: 'scroll-x', 'data-testid': 'teach-results' });
  const trainButton = h('button', { type: 'button', 'data-testid': 'teach-train' }, 'Train');
  const zipButton = h('button', { type: 'button', 'data-testid': 'teach-zip', disabled: true }, 'Download model directory (.zip)');
  const onnxButton = h('button', { type: 'button', 'data-testid': 'teach-onnx', disabled: true }, 'Download ONNX');
  const video = h('video', { playsinline: true, muted: true, 'aria-label': 'Webcam preview', hidden: true, width: 240, height: 180 });
  const camButton = h('button', { type: 'button', 'data-testid': 'teach-webcam' }, 'Start webcam');
  const list = h('div', { class: 'teach-classes' });
  const addButton = h('button', { type: 'button', 'data-testid': 'teach-add-class' }, 'Add class');
  const removeButton = h('button', { type: 'button', 'data-testid': 'teach-remove-class' }, 'Remove last class');
  renderLine(lossChart, []);
  renderLine(accChart, []);

  const classes: TeachClass[] = [];
  let stream: MediaStream | undefined;
  let trained: { model: Model; names: string[]; epochs: number } | undefined;

  const frame = (): RgbaImage => {
    const canvas = h('canvas', { width: video.videoWidth, height: video.videoHeight });
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    const { width, height, data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width, height, data };
  };
  const counted = (c: TeachClass) => (c.count.textContent = `${c.images.length} image${c.images.length === 1 ? '' : 's'}`);
  const sync = () => {
    addButton.disabled = classes.length >= MAX_CLASSES;
    removeButton.disabled = classes.length <= MIN_CLASSES;
    list.querySelectorAll<HTMLButtonElement>('button.snap').forEach((b) => (b.disabled = stream === undefined));
  };
  const addClass = () => {
    const i = classes.length;
    const name = h('input', { id: `teach-name-${i}`, value: `class ${i + 1}`, 'data-testid': `teach-name-${i}` });
    const count = h('span', { class: 'hint', 'data-testid': `teach-count-${i}` });
    const c: TeachClass = { name, images: [], count, row: h('div', { class: 'panel' }) };
    const snap = h('button', { type: 'button', class: 'snap', 'data-testid': `teach-snap-${i}`, onclick: () => {
      c.images.push(frame());
      counted(c);
    } }, 'Add webcam frame');
    c.row.append(
      h('p', {}, h('label', { for: `teach-name-${i}` }, `Class ${i + 1} name `), name, ' ', count),
      dropZone({ label: `Images for class ${i + 1}`, accept: 'image/*', multiple: true, testId: `teach-files-${i}`, onFiles: async (files) => {
        for (const f of files) {
          try {
            c.images.push(await decodeImage(f));
          } catch (e) {
            setStatus(status, 'error', `${f.name}: ${(e as Error).message} (expected an image; it was not added)`);
          }
        }
        counted(c);
      } }),
      h('p', {}, snap));
    counted(c);
    classes.push(c);
    list.append(c.row);
    sync();
  };
  addButton.addEventListener('click', addClass);
  removeButton.addEventListener('click', () => {
    classes.pop()?.row.remove();
    sync();
  });
  camButton.addEventListener('click', async () => {
    if (stream) {
      stream.getTracks().forEach((t) => t.stop());
      stream = undefined;
      video.hidden = true;
      camButton.textContent = 'Start webcam';
      return sync();
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      camButton.textContent = 'Stop webcam';
    } catch (e) {
      setStatus(status, 'error', `webcam: ${(e as Error).message}`);
    }
    sync();
  });

  /** The untrained model: LeNet-5 from scratch, or the backbone with the file's weights and a new K-class head. */
  const startingModel = async (k: number): Promise<{ model: Model; freeze: string[] }> => {
    if (mode.value === 'scratch') {
      const built = registry.get('lenet5').create({ variant: 'modern', inputShape: [32, 32, 3], numClasses: k, seed: 0 });
      return { model: new Model(built.graph, built.weights, { preprocessing: SCRATCH_PREPROCESSING }), freeze: [] };
    }
    if (!backboneFile) throw new Error(`a frozen backbone needs its weight file: drop a .pth or .safetensors file for ${backbone.value}`);
    const selection = { arch: backbone.value, variant: registry.get(backbone.value).variants.includes('torchvision') ? 'torchvision' : registry.get(backbone.value).variants[0]!, input: BACKBONE_INPUT, classes: k, seed: 0, weights: SEEDED };
    const reply = await readWeights({ selection, bytes: new Uint8Array(await backboneFile.arrayBuffer()), file: backboneFile.name, strict: false });
    if (!reply.ok) throw new Error(reply.error);
    setStatus(backboneStatus, 'ok', `${backboneFile.name}: ${reply.loaded} tensors loaded; new head: ${[...reply.missing, ...reply.mismatched].join('; ') || 'none'}`);
    const model = modelFromReply(reply, backboneFile.name);
    return { model, freeze: frozenLayers(model, 'backbone') };
  };

  const train = async () => {
    const problem = classProblem(classes.map((c) => ({ name: c.name.value, images: c.images.length })));
    if (problem) return setStatus(status, 'error', problem);
    const n = Number(epochs.value);
    if (!(Number.isInteger(n) && n >= 1 && n <= 200)) return setStatus(status, 'error', `Epochs "${epochs.value}": expected a whole number from 1 to 200`);
    trainButton.disabled = true;
    zipButton.disabled = onnxButton.disabled = true;
    trained = undefined;
    const names = classes.map((c) => c.name.value.trim());
    try {
      setStatus(status, 'info', 'preparing the model…');
      await nextFrame();
      const { model, freeze } = await startingModel(classes.length);
      const p = model.preprocessing!;
      const images = classes.flatMap((c) => c.images);
      const labels = new Int32Array(classes.flatMap((c, i) => c.images.map(() => i)));
      const x = preprocessBatch(images, p);
      const losses: number[] = [];
      const accuracies: number[] = [];
      const backend = await tfjsBackend('webgl');
      setStatus(status, 'info', `training on tfjs ${activeBackend().name}: ${images.length} images, ${n} epochs${freeze.length ? `, ${freeze.length} layers frozen` : ''}…`);
      await backend.fit(model, { x, y: labels }, {
        epochs: n, batchSize: 16, seed: 0, ...(freeze.length ? { freeze } : {}),
        callbacks: {
          onEpochEnd: (epoch, logs) => {
            losses.push(logs.loss);
            accuracies.push(logs.accuracy);
            renderLine(lossChart, losses);
            renderLine(accChart, accuracies);
            progress.textContent = `epoch ${epoch + 1}/${n}: loss ${logs.loss.toFixed(4)}, accuracy ${(100 * logs.accuracy).toFixed(1)}%`;
            progress.dataset.epoch = String(epoch + 1);
          },
        },
      });
      // Per class, in inference mode, on the images trained on.
      const compiled: CompiledModel = await backend.compile(model);
      const [out] = await compiled.predict(x);
      await compiled.dispose();
      const k = classes.length;
      const predicted = Array.from(labels, (_, i) => {
        const row = out!.data.subarray(i * k, (i + 1) * k);
        return row.indexOf(Math.max(...row));
      });
      const correct = names.map((_, c) => predicted.filter((p2, i) => labels[i] === c && p2 === c).length);
      const counts = names.map((_, c) => labels.filter((l) => l === c).length);
      const total = correct.reduce((a, b) => a + b, 0) / labels.length;
      results.replaceChildren(h('table', {},
        h('caption', {}, 'Per class, on the images trained on'),
        h('thead', {}, h('tr', {}, ...['class', 'images', 'correct', 'accuracy'].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...names.map((name, c) => h('tr', {}, h('td', {}, name), h('td', { class: 'num' }, counts[c]!), h('td', { class: 'num' }, correct[c]!),
          h('td', { class: 'num' }, `${((100 * correct[c]!) / counts[c]!).toFixed(1)}%`))))));
      results.dataset.accuracy = String(total);
      trained = { model, names, epochs: n };
      zipButton.disabled = onnxButton.disabled = false;
      setStatus(status, 'ok', `trained: ${(100 * total).toFixed(1)}% of the ${fmtInt(labels.length)} images right`);
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    } finally {
      trainButton.disabled = false;
    }
  };
  trainButton.addEventListener('click', () => void train());
  zipButton.addEventListener('click', () => {
    if (!trained) return;
    const metadata = { convzoo_classes: JSON.stringify(trained.names), convzoo_dataset: 'teach (images added in the demo)', convzoo_epoch: String(trained.epochs) };
    download(`${DIR}.zip`, modelZip(DIR, trained.model, metadata), 'application/zip');
  });
  onnxButton.addEventListener('click', () => {
    if (trained) download(`${DIR}.onnx`, exportOnnx(trained.model), 'application/octet-stream');
  });

  root.replaceChildren(h('h2', {}, 'Teach'),
    h('p', {}, h('label', { for: 'teach-mode' }, 'Train '), mode), backboneBox,
    h('p', {}, camButton, ' ', addButton, ' ', removeButton), video, list,
    h('p', { class: 'row' }, h('label', {}, 'Epochs ', epochs), trainButton, zipButton, onnxButton),
    status, progress,
    h('div', { class: 'row' }, h('div', { class: 'panel' }, h('p', {}, 'Loss'), lossChart), h('div', { class: 'panel' }, h('p', {}, 'Accuracy'), accChart)),
    results);
  for (let i = 0; i < MIN_CLASSES; i++) addClass();
  setStatus(status, 'info', 'name the classes, add images, then Train');
}
