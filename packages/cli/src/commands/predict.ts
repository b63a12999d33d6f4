import { ConvzooError, nonFinite, type TensorData } from '@convzoo/core';
import { checkOutputPath } from '@convzoo/core/node';
import { topK } from '@convzoo/vision';
import type { Command } from '../command.js';
import { MAX_CLASSES, choice, int, onlyWith, required } from '../args.js';
import { AUTO_HELP, BACKEND_NAMES, backendFlag, createBackend } from '../backends.js';
import { MODEL_OPTIONS, resolveModel } from '../models.js';
import { printJson } from '../output.js';
import { readImages } from '../image.js';
import {
  PREPROCESSING_HELP, PREPROCESSING_OPTIONS, classNames, imagePaths, imagePositionals, imagePreprocessing, trainingMetadata, warnIfSeeded,
} from '../photos.js';
import { readNpy, writeNpy } from '../tensors.js';
import { PRECISION_HELP, PRECISION_OPTIONS, calibrationBatches, precisionFlags } from '../precision.js';
import { UsageError } from '../errors.js';

export const predictCommand: Command = {
  name: 'predict',
  description: 'run a model on photos (labelled top-k) or on a .npy batch, with a chosen backend',
  usage: `convzoo predict <arch|model-dir> --image a.jpg [b.png ...] [--top K] [--json] [--output LOGITS.npy] [--backend B]
                [--resize N|H,W] [--crop N|H,W] [--mean a,b,c] [--std a,b,c] [--interpolation I]
convzoo predict <arch|model-dir> --input X.npy [--layout nhwc|nchw] --output Y.npy [--backend B]
                [--variant V] [--seed S] [--input-shape H,W,C] [--classes N] [--no-aux]

  --image FILES      JPEG, PNG or WebP photos (decoded with sharp), each preprocessed as the model
                     records (RGB or grey as it takes them) and run as one batch; prints the top-K
                     classes of each with their probabilities, named for a 1000-class ImageNet head
                     or by the class names a trained model directory records
  --top K            how many classes per image (default 5)
  --json             one JSON document on stdout: { device, images: [{ image, top: [{ class, label, probability }] }] }
  --output Y.npy     the model's output (logits unless the model ends in softmax), [N, classes] in the
                     order of the images; written atomically, an existing Y.npy must be a regular file
  --input X.npy      float32 batch, NHWC [N, H, W, C] (or NCHW with --layout nchw), run as is: the
                     preprocessing flags apply to --image only. NaN or infinite inputs get a warning
${PREPROCESSING_HELP}
  --backend          ${BACKEND_NAMES.join('|')}, default ${AUTO_HELP}
${PRECISION_HELP}
                     (fp16 and int8 run on ort-cpu: auto picks it, other backends are refused)

An architecture name runs on seeded random weights (a warning says so) unless --weights gives a file.`,
  options: {
    ...MODEL_OPTIONS, ...PREPROCESSING_OPTIONS, backend: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' },
    layout: { type: 'string' }, image: { type: 'string' }, json: { type: 'boolean' }, top: { type: 'string' },
    ...PRECISION_OPTIONS,
  },
  positionals: imagePositionals,
  async run(args, io) {
    const { positionals, values } = args;
    const spec = positionals[0]!;
    let backendName = backendFlag(values.backend);
    const precision = precisionFlags(values);
    if (precision.precision !== 'fp32') {
      // The fp16 / int8 files are ONNX Runtime's: its CPU kernels run them (QLinearConv, QGemm).
      if (backendName !== 'auto' && backendName !== 'ort-cpu') throw new UsageError(`--precision ${precision.precision} runs on ort-cpu only, got --backend ${backendName}`);
      backendName = 'ort-cpu';
    }
    const layout = choice(values.layout, '--layout', ['nhwc', 'nchw'] as const) ?? 'nhwc';
    const images = imagePaths(args);
    if (images === undefined && (values.input === undefined || values.output === undefined)) {
      throw new UsageError('needs --input X.npy and --output Y.npy (or --image FILES)');
    }
    if (images !== undefined && values.input !== undefined) throw new UsageError('--image and --input cannot be combined');
    onlyWith(values, ['layout'], images === undefined, 'to --input X.npy');
    onlyWith(values, ['json', 'top', ...Object.keys(PREPROCESSING_OPTIONS)], images !== undefined, 'to --image');
    const top = int(values.top, '--top', 1, MAX_CLASSES) ?? 5;
    const output = values.output === undefined ? undefined : required(values.output as string, '--output Y.npy');
    // Before any work: a device, FIFO or folder as --output is refused at once.
    if (output !== undefined) checkOutputPath(output, 'file');
    const model = resolveModel(spec, values, io.err);
    const meta = images === undefined ? {} : trainingMetadata(spec);
    let input: TensorData;
    if (images !== undefined) {
      input = await readImages(images, imagePreprocessing(spec, model, values, meta), model.inputShape);
    } else {
      input = readNpy(values.input as string, layout);
      const bad = nonFinite(input.data);
      if (bad.count > 0) io.err(`warning: ${values.input as string} holds ${bad.count} NaN or infinite value(s) (the first at flat index ${bad.first}); their outputs will not be numbers`);
    }
    const backend = await createBackend(backendName);
    const calibration = precision.precision === 'int8' ? await calibrationBatches(spec, model, values, precision.count) : undefined;
    const compiled = await backend.compile(model, precision.precision === 'fp32' ? {} : { precision: precision.precision, ...(calibration ? { calibration } : {}) });
    try {
      const [out] = await compiled.predict(input);
      if (out === undefined) throw new ConvzooError('UNSUPPORTED', 'the model produced no output');
      if (output !== undefined) {
        writeNpy(output, out);
        io.err(`wrote ${output} [${out.shape.join(', ')}] (${compiled.device})`);
      }
      // After the run and the write, so that an error stays the one line on stderr.
      warnIfSeeded(spec, values, io);
      if (images === undefined) return;
      if (out.shape.length !== 2) throw new UsageError(`--image ranks classes, but ${model.name} outputs [${out.shape.join(', ')}]; use convzoo embed for feature maps`);
      const classes = out.shape[1]!;
      const head = model.nodes.find((n) => n.name === model.graph.outputs[0]);
      const probabilities = head?.op === 'Activation' && head.attrs.fn === 'softmax';
      const ranked = topK(out, Math.min(top, classes), { labels: classNames(meta, classes), probabilities });
      if (values.json) return printJson(io, { device: compiled.device, images: images.map((image, i) => ({ image, top: ranked[i] })) });
      const lines = (i: number) => ranked[i]!.map((t, rank) => `${rank + 1}. ${t.label}  ${(100 * t.probability).toFixed(1)}%`);
      io.out(images.length === 1 ? lines(0).join('\n') : images.map((image, i) => [image, ...lines(i).map((l) => `  ${l}`)].join('\n')).join('\n'));
    } finally {
      await compiled.dispose();
    }
  },
};
