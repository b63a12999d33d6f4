import { join } from 'node:path';
import { ConvzooError, decodeSafetensors } from '@convzoo/core';
import { WEIGHTS_FILE, checkOutputPath, loadModelDir, readFileChecked } from '@convzoo/core/node';
import { DATASETS } from '@convzoo/datasets';
import type { Command } from '../command.js';
import { MAX_BATCH, choice, int, required } from '../args.js';
import { AUTO_HELP, BACKEND_NAMES, backendFlag, createBackend, resolveBackend } from '../backends.js';
import { prepare } from '../data.js';
import { WEIGHTS_OPTION, checkBatch, withWeightsFile } from '../models.js';
import { printJson } from '../output.js';
import { writeNpy } from '../tensors.js';

export const evalCommand: Command = {
  name: 'eval',
  description: 'accuracy, loss and confusion matrix of a model directory on a test set',
  usage: `convzoo eval <model-dir> --dataset ${DATASETS.join('|')} [--backend ${BACKEND_NAMES.join('|')}] [--limit N] [--predictions P.npy] [--weights FILE] [--json]

Runs the 10,000-image test set. --json prints { accuracy, loss, confusion, count, backend, device }
with accuracy in [0, 1] and confusion[true][predicted]. --backend defaults to ${AUTO_HELP}. --predictions writes the predicted class of every image.
--weights loads a .pth/.pt state dict or .safetensors file (torchvision or convzoo names) into the model first.
--dataset defaults to the one the model was trained on (recorded by convzoo train).`,
  options: {
    dataset: { type: 'string' }, backend: { type: 'string' }, limit: { type: 'string' },
    predictions: { type: 'string' }, json: { type: 'boolean' }, batch: { type: 'string' }, ...WEIGHTS_OPTION,
  },
  positionals: 1,
  async run({ positionals, values }, io) {
    const dir = positionals[0]!;
    const predictions = values.predictions === undefined ? undefined : required(values.predictions as string, '--predictions P.npy');
    // Before the test set runs: a device, FIFO or folder as --predictions is refused at once.
    if (predictions !== undefined) checkOutputPath(predictions, 'file');
    const model = withWeightsFile(loadModelDir(dir), values);
    const recorded = decodeSafetensors(readFileChecked(join(dir, WEIGHTS_FILE))).metadata.convzoo_dataset;
    const dataset = choice(values.dataset ?? recorded, '--dataset', DATASETS);
    if (dataset === undefined) throw new ConvzooError('ARGUMENT_INVALID', `needs --dataset (${DATASETS.join(' or ')}): ${dir} records none`);
    const batch = int(values.batch, '--batch', 1, MAX_BATCH) ?? 500;
    checkBatch(model, batch);
    const test = prepare(dataset, model, 'test', int(values.limit, '--limit', 1, 1e9));
    const classes = model.outputShapes[0]![0]!;
    const endsInSoftmax = model.nodes.find((n) => n.name === model.graph.outputs[0])?.op === 'Activation';
    const backend = await resolveBackend(backendFlag(values.backend));
    const compiled = await (await createBackend(backend)).compile(model);
    const n = test.labels.length;
    const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
    const predicted = new Float32Array(n);
    let loss = 0;
    let correct = 0;
    const per = test.images.data.length / n;
    try {
      for (let start = 0; start < n; start += batch) {
        const m = Math.min(batch, n - start);
        const [out] = await compiled.predict({ shape: [m, ...test.images.shape.slice(1)], data: test.images.data.subarray(start * per, (start + m) * per) });
        for (let i = 0; i < m; i++) {
          const row = out!.data.subarray(i * classes, (i + 1) * classes);
          const label = test.labels[start + i]!;
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
    const result = { dataset, count: n, backend, device: compiled.device, accuracy: correct / n, loss: loss / n, confusion };
    if (values.json) return printJson(io, result);
    io.out(`${dir} on ${dataset} test (${n} images, ${backend}): accuracy ${(100 * result.accuracy).toFixed(2)}%, loss ${result.loss.toFixed(4)}`);
    io.out(['confusion (rows: true class, columns: predicted)', ...confusion.map((r, i) => `${String(i).padStart(2)} ${r.map((v) => String(v).padStart(5)).join('')}`)].join('\n'));
  },
};
