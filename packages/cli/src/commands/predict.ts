import { ConvzooError, nonFinite } from '@convzoo/core';
import { WEIGHTS_FILE, checkOutputPath } from '@convzoo/core/node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensors } from '@convzoo/core';
import type { Command } from '../command.js';
import { choice, onlyWith, required } from '../args.js';
import { AUTO_HELP, BACKEND_NAMES, backendFlag, createBackend } from '../backends.js';
import { MODEL_OPTIONS, isDirectory, resolveModel } from '../models.js';
import { printJson } from '../output.js';
import { readDigitPng, softmax, type InputPreprocess } from '../image.js';
import { readNpy, writeNpy } from '../tensors.js';
import { UsageError } from '../errors.js';

/** The metadata `convzoo train` records in a model directory's weights (empty for an architecture). */
function trainingMetadata(spec: string): Record<string, string> {
  if (!isDirectory(spec)) return {};
  try {
    return decodeSafetensors(readFileSync(join(spec, WEIGHTS_FILE))).metadata;
  } catch {
    return {}; // the model itself loaded already; a missing record only loses the defaults below
  }
}

/** Input preparation the model was trained with; MNIST's (padded to the input) when there is no record. */
function preprocessOf(meta: Record<string, string>, inputHeight: number): InputPreprocess {
  const pad = meta.convzoo_input_pad !== undefined ? Number(meta.convzoo_input_pad) : Math.max(0, (inputHeight - 28) / 2);
  return meta.convzoo_input_mean && meta.convzoo_input_std
    ? { mean: Number(meta.convzoo_input_mean), std: Number(meta.convzoo_input_std), pad }
    : { mean: 0.1307, std: 0.3081, pad };
}

export const predictCommand: Command = {
  name: 'predict',
  description: 'run a model on a .npy batch (or a PNG digit) with a chosen backend',
  usage: `convzoo predict <arch|model-dir> --backend ${BACKEND_NAMES.join('|')} --input X.npy [--layout nhwc|nchw] --output Y.npy
                [--variant V] [--seed S] [--input-shape H,W,C] [--classes N] [--no-aux]
convzoo predict <model-dir> --image digit.png [--backend B] [--json] [--output LOGITS.npy]

  --input X.npy      float32 batch, NHWC [N, H, W, C] (or NCHW with --layout nchw)
  --output Y.npy     the model's output (logits unless the model ends in softmax), written atomically;
                     an existing Y.npy must be a regular file. NaN or infinite inputs get a warning
  --image PNG        a digit image: grayscale, resized to the model input, normalized as in training;
                     prints the top-3 classes with their probabilities
  --backend          default ${AUTO_HELP}`,
  options: {
    ...MODEL_OPTIONS, backend: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' },
    layout: { type: 'string' }, image: { type: 'string' }, json: { type: 'boolean' },
  },
  positionals: 1,
  async run({ positionals, values }, io) {
    const spec = positionals[0]!;
    const backendName = backendFlag(values.backend);
    const layout = choice(values.layout, '--layout', ['nhwc', 'nchw'] as const) ?? 'nhwc';
    const image = values.image as string | undefined;
    if (image === undefined && (values.input === undefined || values.output === undefined)) {
      throw new UsageError('needs --input X.npy and --output Y.npy (or --image PNG)');
    }
    if (image !== undefined && values.input !== undefined) throw new UsageError('--image and --input cannot be combined');
    onlyWith(values, ['layout'], image === undefined, 'to --input X.npy');
    onlyWith(values, ['json'], image !== undefined, 'to --image');
    const output = values.output === undefined ? undefined : required(values.output as string, '--output Y.npy');
    // Before any work: a device, FIFO or folder as --output is refused at once.
    if (output !== undefined) checkOutputPath(output, 'file');
    const model = resolveModel(spec, values);
    const meta = trainingMetadata(spec);
    const input = image !== undefined ? readDigitPng(image, model.inputShape, preprocessOf(meta, model.inputShape[0]!)) : readNpy(values.input as string, layout);
    const bad = nonFinite(input.data);
    if (image === undefined && bad.count > 0) io.err(`warning: ${values.input as string} holds ${bad.count} NaN or infinite value(s) (the first at flat index ${bad.first}); their outputs will not be numbers`);
    const backend = await createBackend(backendName);
    const compiled = await backend.compile(model);
    try {
      const [out] = await compiled.predict(input);
      if (out === undefined) throw new ConvzooError('UNSUPPORTED', 'the model produced no output');
      if (output !== undefined) {
        writeNpy(output, out);
        io.err(`wrote ${output} [${out.shape.join(', ')}] (${compiled.device})`);
      }
      if (image === undefined) return;
      const probs = softmax(out.data);
      const names = meta.convzoo_classes ? (JSON.parse(meta.convzoo_classes) as string[]) : undefined;
      const top = probs.map((p, i) => ({ class: i, label: names?.[i] ?? String(i), probability: p }))
        .sort((a, b) => b.probability - a.probability).slice(0, 3);
      if (values.json) return printJson(io, { image, device: compiled.device, top });
      io.out(top.map((t, rank) => `${rank + 1}. ${t.label}  ${(100 * t.probability).toFixed(1)}%`).join('\n'));
    } finally {
      await compiled.dispose();
    }
  },
};
