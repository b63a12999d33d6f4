/**
 * Classify: images (dropped, picked or from the webcam) through the selected model with its own
 * preprocessing, top-5 with class names; a weight file (.pth, .safetensors, and what else
 * @convzoo/weights reads) loaded into the architecture in a worker. `#classify-report` holds the
 * logits as JSON for tests.
 */
import type { CompiledModel, Model } from '@convzoo/core';
import { IMAGENET_CLASSES, decodeImage, preprocess, topK, type RgbaImage } from '@convzoo/vision';
import { SEEDED, describe, loadModelWithMetadata, type Selection } from '../models/catalog.js';
import { activeBackend, tfjsBackend } from '../run/tfjs-web.js';
import { dropZone } from '../ui/drop.js';
import { h, latestOnly, nextFrame, progressBar, setProgress, setStatus, statusLine } from '../ui/dom.js';
import { mountPicker } from '../ui/picker.js';
import { describePreprocessing } from './preprocessing-text.js';
import { modelFromReply, readWeights } from '../models/model-client.js';

const TOP = 5;

interface Loaded {
  readonly model: Model;
  readonly labels: readonly string[] | undefined;
  readonly source: string;
}

/** Class names: a trained model's recorded ones, ImageNet's for 1000 classes, else none (numbers). */
function labelsFor(model: Model, metadata: Readonly<Record<string, string>>): readonly string[] | undefined {
  const classes = model.outputShapes[0]?.at(-1) ?? 0;
  try {
    const recorded = JSON.parse(metadata.convzoo_classes ?? 'null') as unknown;
    if (Array.isArray(recorded) && recorded.length === classes) return recorded.map(String);
  } catch {
    // unreadable class names: fall through to the defaults
  }
  return classes === 1000 ? IMAGENET_CLASSES : undefined;
}

export function classifyPage(root: HTMLElement): void {
  const status = statusLine('classify-status');
  const weightsStatus = statusLine('weights-status');
  const weightsProgress = progressBar('weights-progress');
  const prep = h('p', { class: 'hint', 'data-testid': 'preprocessing' });
  const results = h('div', { class: 'scroll-x', 'data-testid': 'predictions' });
  const report = h('pre', { id: 'classify-report', 'data-testid': 'classify-report', hidden: true });
  const partial = h('input', { type: 'checkbox', id: 'weights-partial', 'data-testid': 'weights-partial' });
  const video = h('video', { playsinline: true, muted: true, 'aria-label': 'Webcam preview', hidden: true, width: 320, height: 240 });
  const camButton = h('button', { type: 'button', 'data-testid': 'webcam-start' }, 'Start webcam');
  const snapButton = h('button', { type: 'button', 'data-testid': 'webcam-capture', disabled: true }, 'Classify a frame');
  const picker = h('div');

  let selection: Selection | undefined;
  let loaded: Loaded | undefined;
  let compiled: Promise<CompiledModel> | undefined;
  let images: { name: string; image: RgbaImage }[] = [];

  const useModel = (l: Loaded) => {
    const old = compiled;
    loaded = l;
    compiled = tfjsBackend('webgl').then((b) => b.compile(l.model));
    void old?.then((c) => c.dispose());
    prep.textContent = l.model.preprocessing ? `Preprocessing: ${describePreprocessing(l.model.preprocessing)}` : 'Preprocessing: none recorded for this model; images are resized to its input';
  };

  const classify = latestOnly(async (_: void, stale) => {
    if (!loaded || !compiled || images.length === 0) return;
    const l = loaded;
    setStatus(status, 'info', `classifying ${images.length} image(s)…`);
    await nextFrame();
    try {
      const c = await compiled;
      const p = l.model.preprocessing;
      if (p === undefined) throw new Error(`${l.model.name} records no preprocessing: nothing says how to turn an image into its input`);
      const rows: { image: string; logits: number[]; top: { class: number; label: string; probability: number }[] }[] = [];
      for (const { name, image } of images) {
        const [out] = await c.predict(preprocess(image, p));
        if (stale()) return;
        const top = topK(out!, TOP, { labels: l.labels })[0]!;
        rows.push({ image: name, logits: [...out!.data], top: top.map((t) => ({ class: t.class, label: t.label, probability: t.probability })) });
      }
      results.replaceChildren(...rows.map((r) => h('table', { class: 'top5' },
        h('caption', {}, r.image),
        h('thead', {}, h('tr', {}, h('th', {}, 'class'), h('th', {}, 'name'), h('th', {}, 'probability'))),
        h('tbody', {}, ...r.top.map((t) => h('tr', {}, h('td', { class: 'num' }, t.class), h('td', {}, t.label), h('td', { class: 'num' }, `${(100 * t.probability).toFixed(1)}%`)))))));
      report.textContent = JSON.stringify(rows);
      const best = rows[0]!.top[0]!;
      setStatus(status, 'ok', `${rows.length} image(s) on tfjs ${activeBackend().name} (${l.source}); ${rows[0]!.image}: ${best.label} ${(100 * best.probability).toFixed(1)}%`);
    } catch (e) {
      if (!stale()) setStatus(status, 'error', (e as Error).message);
    }
  });

  const addImages = async (files: File[]) => {
    const read: typeof images = [];
    for (const f of files) {
      try {
        read.push({ name: f.name, image: await decodeImage(f) });
      } catch (e) {
        // An earlier image's results must not stand for this one.
        images = [];
        results.replaceChildren();
        report.textContent = '';
        return setStatus(status, 'error', `${f.name}: ${(e as Error).message} (expected a PNG, JPEG, WebP, GIF or BMP image)`);
      }
    }
    images = read;
    classify();
  };

  const addWeights = async (files: File[]) => {
    const f = files[0]!;
    if (!selection) return setStatus(weightsStatus, 'error', 'choose a valid model first');
    const s = selection;
    setStatus(weightsStatus, 'info', `reading ${f.name} into ${s.arch} (in a worker)…`);
    setProgress(weightsProgress, {});
    const reply = await readWeights({ selection: s, bytes: new Uint8Array(await f.arrayBuffer()), file: f.name, strict: !partial.checked });
    setProgress(weightsProgress, null);
    if (s !== selection) return;
    if (!reply.ok) return setStatus(weightsStatus, 'error', reply.error);
    const model = modelFromReply(reply, f.name);
    useModel({ model, labels: labelsFor(model, {}), source: `weights from ${f.name}` });
    const kept = reply.missing.length + reply.mismatched.length;
    setStatus(weightsStatus, 'ok', `${f.name}: ${reply.loaded} tensors loaded (${reply.names} names)${kept ? `; ${kept} kept from the built model: ${[...reply.missing, ...reply.mismatched].slice(0, 3).join('; ')}` : ''}${reply.unexpected.length ? `; ${reply.unexpected.length} unused` : ''}`);
    classify();
  };

  let stream: MediaStream | undefined;
  camButton.addEventListener('click', async () => {
    if (stream) {
      stream.getTracks().forEach((t) => t.stop());
      stream = undefined;
      video.hidden = true;
      snapButton.disabled = true;
      camButton.textContent = 'Start webcam';
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      snapButton.disabled = false;
      camButton.textContent = 'Stop webcam';
    } catch (e) {
      setStatus(status, 'error', `webcam: ${(e as Error).message}`);
    }
  });
  snapButton.addEventListener('click', () => {
    const canvas = h('canvas', { width: video.videoWidth, height: video.videoHeight });
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    const { width, height, data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    images = [{ name: `webcam frame ${new Date().toLocaleTimeString('en-GB')}`, image: { width, height, data } }];
    classify();
  });

  root.replaceChildren(h('h2', {}, 'Classify'), picker,
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h3', {}, 'Weights'),
        dropZone({ label: 'Weight file (.pth, .pt, .safetensors, .onnx, .h5)', accept: '.pth,.pt,.bin,.safetensors,.onnx,.h5', testId: 'weights-file', onFiles: (f) => void addWeights(f) }),
        h('p', {}, partial, h('label', { for: 'weights-partial' }, ' keep the model\'s own weights where the file has none (a new head)')),
        weightsStatus, weightsProgress),
      h('div', { class: 'panel' }, h('h3', {}, 'Images'),
        dropZone({ label: 'Image files', accept: 'image/*', multiple: true, testId: 'image-files', onFiles: (f) => void addImages(f) }),
        h('p', {}, camButton, ' ', snapButton), video, prep)),
    status, results, report);

  const pick = latestOnly(async (s: Selection | undefined, stale) => {
    selection = s;
    loaded = undefined;
    results.replaceChildren();
    if (s === undefined) return setStatus(status, 'error', 'nothing to classify with: fix the option marked above');
    setStatus(status, 'info', `building ${describe(s)}…`);
    await nextFrame();
    try {
      const { model, metadata } = await loadModelWithMetadata(s);
      if (stale()) return;
      // Seeded weights give confident nonsense: say so next to every result.
      useModel({ model, labels: labelsFor(model, metadata), source: s.weights === SEEDED ? `${describe(s)}: untrained, so the classes mean nothing until a weight file is loaded` : describe(s) });
      await compiled;
      if (stale()) return;
      setStatus(status, 'ok', `ready: ${describe(s)}; drop images or a weight file`);
      classify();
    } catch (e) {
      if (!stale()) setStatus(status, 'error', (e as Error).message);
    }
  });
  mountPicker(picker, pick, () => pick(undefined));
}
