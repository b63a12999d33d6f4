/**
 * Digits: draw a digit, LeNet-5 predicts as you draw (tfjs WebGL); a button trains a few
 * batches of the shipped MNIST sample in the page, with the loss plotted per batch.
 */
import { lenet5 } from '@convzoo/arch-lenet';
import type { CompiledModel, Model } from '@convzoo/core';
import { TRAINED_MODELS } from 'virtual:demo-assets';
import { loadModelDir } from '../models/model-dir.js';
import { renderBars, renderLine } from '../ui/charts.js';
import { h, setStatus, statusLine, svg } from '../ui/dom.js';
import { activeBackend, tfjsBackend } from '../run/tfjs-web.js';
import { MNIST_PIXELS, MNIST_SIZE, MNIST_STATS, likeness, toMnist, toModelInput, type InputStats } from './mnist-format.js';
import { createPad } from './pad.js';
import { loadDigitSample } from './sample.js';

const PAD_SIZE = 280;
const TRAIN_BATCHES = 10;
const BATCH_SIZE = 32;
/** Below this top probability the prediction is flagged as a guess. */
const LOW_CONFIDENCE = 0.6;

interface DigitModel {
  readonly model: Model;
  readonly stats: InputStats;
  readonly source: string;
}

/** The trained LeNet-5 shipped under public/models/ when present, else seeded (untrained) weights. */
async function digitModel(): Promise<DigitModel> {
  const trained = TRAINED_MODELS.find((m) => m.arch === 'lenet5');
  if (trained === undefined) {
    return { model: lenet5({ seed: 0 }), stats: MNIST_STATS, source: 'seeded (untrained) weights: no trained model in public/models/' };
  }
  const { model, metadata } = await loadModelDir(trained.name);
  const mean = Number(metadata.convzoo_input_mean);
  const std = Number(metadata.convzoo_input_std);
  const stats = Number.isFinite(mean) && std > 0 ? { mean, std } : MNIST_STATS;
  return { model, stats, source: `trained weights: models/${trained.name}` };
}

function probabilities(model: Model, out: Float32Array): number[] {
  const last = model.nodes.find((n) => n.name === model.graph.outputs[0]);
  if (last?.op === 'Activation' && last.attrs.fn === 'softmax') return [...out];
  const m = Math.max(...out);
  const e = Array.from(out, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export async function digitsPage(root: HTMLElement): Promise<void> {
  const status = statusLine('digits-status');
  const source = h('p', { class: 'hint', 'data-testid': 'weights-source' });
  const prediction = h('span', { class: 'big', 'data-testid': 'digit-prediction', 'data-busy': 'false' }, '–');
  const bars = svg('svg', { class: 'chart', 'data-testid': 'prob-chart', role: 'img', 'aria-label': 'Probability of each digit 0 to 9' });
  const loss = svg('svg', { class: 'chart', 'data-testid': 'loss-chart', role: 'img', 'aria-label': 'Training loss per batch' });
  const lossText = h('p', { class: 'hint', 'data-testid': 'train-status', role: 'status', 'aria-live': 'polite' }, 'not trained in this page yet');
  const warning = h('p', { class: 'status warn', 'data-testid': 'digit-warning', role: 'status', 'aria-live': 'polite' });
  const preview = h('canvas', { width: MNIST_SIZE, height: MNIST_SIZE, role: 'img', 'aria-label': 'The 28x28 input the model saw', style: 'width:84px;height:84px;image-rendering:pixelated;background:#000' });
  const trainButton = h('button', { type: 'button', 'data-testid': 'train-button', disabled: true }, `Train ${TRAIN_BATCHES} batches`);
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  renderBars(bars, new Array(10).fill(0), labels);
  renderLine(loss, []);

  let dm: DigitModel | undefined;
  let compiled: CompiledModel | undefined;
  let busy = false;
  let pending = false;

  const showPreview = (digit: Float32Array) => {
    const ctx = preview.getContext('2d')!;
    const img = ctx.createImageData(MNIST_SIZE, MNIST_SIZE);
    digit.forEach((v, i) => img.data.set([v * 255, v * 255, v * 255, 255], 4 * i));
    ctx.putImageData(img, 0, 0);
  };

  // One prediction at a time, at most one per frame; strokes arriving meanwhile coalesce into
  // one more. data-busy on the prediction says whether one is still due (tests wait on it).
  let frame: number | undefined;
  const settle = () => (prediction.dataset.busy = String(busy || pending || frame !== undefined));
  const predict = async () => {
    if (!compiled || !dm) return;
    if (busy) {
      pending = true;
      return;
    }
    busy = true;
    try {
      const digit = toMnist(pad.gray());
      if (digit === undefined) return;
      showPreview(digit);
      const [out] = await compiled.predict(toModelInput(digit, dm.model.inputShape, dm.stats));
      const p = probabilities(dm.model, out!.data);
      const best = p.indexOf(Math.max(...p));
      prediction.textContent = String(best);
      prediction.dataset.value = String(best);
      prediction.dataset.probability = p[best]!.toFixed(4);
      renderBars(bars, p, labels);
      bars.setAttribute('aria-label', `Probability of each digit: ${p.map((v, i) => `${i} ${(100 * v).toFixed(0)}%`).join(', ')}`);
      // A photo or a scribble still gets a digit: say when it is a guess.
      const look = likeness(digit);
      warning.textContent = !look.digitLike
        ? `This does not look like a handwritten digit (${(100 * look.ink).toFixed(0)}% of the field is ink, ${(100 * look.grey).toFixed(0)}% grey; MNIST digits are thin light strokes on a mostly empty dark field): "${best}" is a guess.`
        : p[best]! < LOW_CONFIDENCE ? `Low confidence: ${(100 * p[best]!).toFixed(0)}% for "${best}".` : '';
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    } finally {
      busy = false;
      if (pending) {
        pending = false;
        void predict();
      }
      settle();
    }
  };
  const schedule = () => {
    if (frame === undefined) {
      frame = requestAnimationFrame(() => {
        frame = undefined;
        void predict();
      });
    }
    settle();
  };
  const pad = createPad(PAD_SIZE, schedule);

  const clear = () => {
    pad.clear();
    prediction.textContent = '–';
    delete prediction.dataset.value;
    warning.textContent = '';
    renderBars(bars, new Array(10).fill(0), labels);
  };

  const fileInput = h('input', { type: 'file', accept: 'image/*', id: 'digit-file', 'data-testid': 'digit-file' });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    prediction.dataset.busy = 'true'; // decoding counts as a prediction still due
    try {
      pad.showImage(await createImageBitmap(file));
      if (dm) setStatus(status, 'ok', `${file.name}: read`);
      schedule();
    } catch {
      // The last prediction belonged to another image: it must not stay on screen.
      clear();
      setStatus(status, 'error', `${file.name}: not an image this browser can decode (expected PNG, JPEG, BMP, GIF or WebP)`);
      settle();
    }
    fileInput.value = ''; // choosing the same file again fires change again
  });

  const losses: number[] = [];
  let trainedBatches = 0;
  const train = async () => {
    if (!dm || !compiled) return;
    trainButton.disabled = true;
    try {
      const sample = await loadDigitSample();
      // Each press trains on the next samples, so repeated presses see new digits.
      const n = TRAIN_BATCHES * BATCH_SIZE;
      const start = (trainedBatches * BATCH_SIZE) % (sample.labels.length - n + 1);
      const x = toModelInput(sample.images.subarray(start * MNIST_PIXELS, (start + n) * MNIST_PIXELS), dm.model.inputShape, dm.stats);
      await (await tfjsBackend('webgl')).fit(dm.model, { x, y: sample.labels.subarray(start, start + n) }, {
        epochs: 1, batchSize: BATCH_SIZE, seed: trainedBatches,
        callbacks: {
          onBatchEnd: (_b, logs) => {
            losses.push(logs.loss);
            trainedBatches++;
            renderLine(loss, losses);
            lossText.textContent = `batch ${trainedBatches}: loss ${logs.loss.toFixed(4)}, batch accuracy ${(100 * logs.accuracy).toFixed(0)}%`;
            lossText.dataset.batches = String(trainedBatches);
            lossText.dataset.loss = String(logs.loss);
          },
        },
      });
      // fit wrote the new weights into the model: upload them for prediction.
      const next = await (await tfjsBackend('webgl')).compile(dm.model);
      await compiled.dispose();
      compiled = next;
      source.textContent = `${dm.source}, then ${trainedBatches} batches trained here`;
      void predict();
    } catch (e) {
      setStatus(status, 'error', (e as Error).message);
    } finally {
      trainButton.disabled = false;
    }
  };
  trainButton.addEventListener('click', () => void train());

  root.replaceChildren(h('h2', {}, 'Digits'), source,
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, pad.canvas,
        h('p', {}, h('button', { type: 'button', 'data-testid': 'clear-button', onclick: clear }, 'Clear'), ' draw a digit 0-9'),
        h('p', { class: 'hint' }, h('label', { for: 'digit-file' }, 'or load an image of one: '), fileInput)),
      h('div', { class: 'panel' }, h('p', {}, 'Prediction: ', prediction), warning, bars, h('p', { class: 'hint' }, 'model input (28x28, centred):'), preview),
      h('div', { class: 'panel' }, h('p', {}, trainButton, ` of ${BATCH_SIZE} MNIST digits (Adam)`), loss, lossText)),
    status);

  setStatus(status, 'info', 'loading LeNet-5…');
  try {
    dm = await digitModel();
    source.textContent = dm.source;
    compiled = await (await tfjsBackend('webgl')).compile(dm.model);
    trainButton.disabled = false;
    setStatus(status, 'ok', `ready: LeNet-5 on tfjs ${activeBackend().name}`);
  } catch (e) {
    setStatus(status, 'error', (e as Error).message);
  }
}
