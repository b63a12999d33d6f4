import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConvzooError, decodeSafetensors, type Model, type TensorData } from '@convzoo/core';
import { WEIGHTS_FILE, checkOutputPath, loadModelDir, readFileChecked, writeFileAtomic } from '@convzoo/core/node';
import { DATASETS, imageFolder } from '@convzoo/datasets';
import type { Command } from '../command.js';
import { MAX_BATCH, choice, int, required } from '../args.js';
import { AUTO_HELP, BACKEND_NAMES, backendFlag, createBackend, resolveBackend } from '../backends.js';
import { confusionSvg } from '../chart.js';
import { prepare } from '../data.js';
import { WEIGHTS_OPTION, checkBatch, withWeightsFile } from '../models.js';
import { printJson } from '../output.js';
import { classNames } from '../photos.js';
import { writeNpy } from '../tensors.js';

export const CONFUSION_FILE = 'confusion.svg';

export const evalCommand: Command = {
  name: 'eval',
  description: 'accuracy, loss, per-class precision and recall, and confusion matrix of a model directory on a test set',
  usage: `convzoo eval <model-dir> (--dataset ${DATASETS.join('|')} | --data DIR) [--backend ${BACKEND_NAMES.join('|')}] [--limit N] [--predictions P.npy] [--weights FILE] [--json]

Runs the 10,000-image test set, or the images of DIR: a folder of class folders, or a split root
(DIR/train, DIR/val) where it uses DIR/val, read with the model's preprocessing; class folders
are matched to the class names the model records. --json prints { accuracy, loss, confusion,
perClass: { <class>: { precision, recall, count } }, classes, count, backend, device }
with accuracy in [0, 1] and confusion[true][predicted]; the matrix is also drawn as
<model-dir>/confusion.svg, beside train's history.svg. --backend defaults to ${AUTO_HELP}. --predictions writes the predicted class of every image.
--weights loads a .pth/.pt state dict or .safetensors file (torchvision or convzoo names) into the model first.
--dataset defaults to the one the model was trained on (recorded by convzoo train).`,
  options: {
    dataset: { type: 'string' }, data: { type: 'string' }, backend: { type: 'string' }, limit: { type: 'string' },
    predictions: { type: 'string' }, json: { type: 'boolean' }, batch: { type: 'string' }, ...WEIGHTS_OPTION,
  },
  positionals: 1,
  async run({ positionals, values }, io) {
    const dir = positionals[0]!;
    const predictions = values.predictions === undefined ? undefined : required(values.predictions as string, '--predictions P.npy');
    // Before the test set runs: a device, FIFO or folder as --predictions is refused at once.
    if (predictions !== undefined) checkOutputPath(predictions, 'file');
    const model = withWeightsFile(loadModelDir(dir), values);
    const meta = decodeSafetensors(readFileChecked(join(dir, WEIGHTS_FILE))).metadata;
    const classes = model.outputShapes[0]![0]!;
    const names = classNames(meta, classes) ?? Array.from({ length: classes }, (_, i) => String(i));
    const batch = int(values.batch, '--batch', 1, MAX_BATCH) ?? 500;
    checkBatch(model, batch);
    const limit = int(values.limit, '--limit', 1, 1e9);
    const test = values.data === undefined ? builtIn(values.dataset ?? meta.convzoo_dataset, model, limit, dir) : await folder(values.data as string, model, names, limit);
    const dataset = test.name;
    const endsInSoftmax = model.nodes.find((n) => n.name === model.graph.outputs[0])?.op === 'Activation';
    const backend = await resolveBackend(backendFlag(values.backend));
    const compiled = await (await createBackend(backend)).compile(model);
    const n = test.count;
    const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
    const predicted = new Float32Array(n);
    let loss = 0;
    let correct = 0;
    try {
      for (let start = 0; start < n; start += batch) {
        const m = Math.min(batch, n - start);
        const b = await test.batch(start, m);
        const [out] = await compiled.predict(b.x);
        for (let i = 0; i < m; i++) {
          const row = out!.data.subarray(i * classes, (i + 1) * classes);
          const label = b.y[i]!;
          let best = 0;
          for (let k = 1; k < classes; k++) if (row[k]! > row[best]!) best = k;
          // Cross-entropy from logits (log-sum-exp), or from probabilities when the model ends in softmax.
          if (endsInSoftmax) {
            loss -= Math.log(Math.max(row[label]!, 1e-12));
          } else {
            const max = row[best]!;
            let sum = 0;
            for (let k = 0; k < classes; k++) sum += Math.exp(row[k]! - max);
            loss += max + Math.log(sum) - row[label]!;
          }
          if (best === label) correct++;
          confusion[label]![best]!++;
          predicted[start + i] = best;
        }
      }
    } finally {
      await compiled.dispose();
    }
    if (predictions !== undefined) writeNpy(predictions, { shape: [n], data: predicted });
    writeConfusion(dir, `${dir} on ${test.name}`, names, confusion, io);
    // Precision of a class never predicted, and recall of one absent from the data, are 0 (scikit-learn's zero_division=0).
    const perClass = Object.fromEntries(names.map((name, k) => {
      const predictedK = confusion.reduce((sum, row) => sum + row[k]!, 0);
      const actual = confusion[k]!.reduce((a, b) => a + b, 0);
      return [name, { precision: predictedK > 0 ? confusion[k]![k]! / predictedK : 0, recall: actual > 0 ? confusion[k]![k]! / actual : 0, count: actual }];
    }));
    const result = { dataset, count: n, backend, device: compiled.device, accuracy: correct / n, loss: loss / n, classes: names, perClass, confusion };
    if (values.json) return printJson(io, result);
    io.out(`${dir} on ${dataset} test (${n} images, ${backend}): accuracy ${(100 * result.accuracy).toFixed(2)}%, loss ${result.loss.toFixed(4)}`);
    const width = Math.max(5, ...names.map((c) => c.length));
    io.out([`${'class'.padEnd(width)} precision recall count`, ...names.map((c) => {
      const r = perClass[c]!;
      return `${c.padEnd(width)} ${(100 * r.precision).toFixed(2).padStart(8)}% ${(100 * r.recall).toFixed(2).padStart(6)}% ${String(r.count).padStart(5)}`;
    })].join('\n'));
    io.out(['confusion (rows: true class, columns: predicted)', ...confusion.map((r, i) => `${String(i).padStart(2)} ${r.map((v) => String(v).padStart(5)).join('')}`)].join('\n'));
  },
};

/** The picture of the matrix beside the training chart; a model directory that cannot take it (read-only) costs a warning, not the result. */
function writeConfusion(dir: string, title: string, names: readonly string[], confusion: readonly number[][], io: { err(line: string): void }): void {
  const file = join(dir, CONFUSION_FILE);
  try {
    writeFileAtomic(file, confusionSvg(title, names, confusion));
  } catch (e) {
    io.err(`warning: could not write ${file}: ${(e as Error).message}`);
  }
}

/** Labelled images read batch by batch: `batch(start, m)` gives samples start..start+m-1. */
interface TestSet {
  readonly name: string;
  readonly count: number;
  batch(start: number, m: number): Promise<{ x: TensorData; y: ArrayLike<number> }>;
}

function builtIn(value: string | boolean | undefined, model: Model, limit: number | undefined, dir: string): TestSet {
  const dataset = choice(value, '--dataset', DATASETS);
  if (dataset === undefined) throw new ConvzooError('ARGUMENT_INVALID', `needs --dataset (${DATASETS.join(' or ')}) or --data DIR: ${dir} records none`);
  const test = prepare(dataset, model, 'test', limit);
  const per = test.images.data.length / test.labels.length;
  return {
    name: dataset,
    count: test.labels.length,
    batch: async (start, m) => ({
      x: { shape: [m, ...test.images.shape.slice(1)], data: test.images.data.subarray(start * per, (start + m) * per) },
      y: test.labels.subarray(start, start + m),
    }),
  };
}

/** DIR/val of a split root, else DIR's class folders, labelled by the model's class names. */
async function folder(dir: string, model: Model, names: readonly string[], limit: number | undefined): Promise<TestSet> {
  const preprocessing = model.preprocessing;
  if (preprocessing === undefined) throw new ConvzooError('ARGUMENT_INVALID', `${model.name} records no preprocessing to read image files with`);
  const root = existsSync(join(dir, 'val')) ? join(dir, 'val') : dir;
  const { train } = await imageFolder(root, { preprocessing, classes: names });
  const count = Math.min(train.size, limit ?? Infinity);
  return {
    name: root,
    count,
    async batch(start, m) {
      const b = await train.batch(Uint32Array.from({ length: m }, (_, i) => start + i));
      return { x: { shape: [m, ...train.sampleShape], data: b.x }, y: b.y };
    },
  };
}
