import { ConvzooError, registry, resolveLayer, type TensorData } from '@convzoo/core';
import { checkOutputPath } from '@convzoo/core/node';
import type { Command } from '../command.js';
import { choice, required } from '../args.js';
import { AUTO_HELP, BACKEND_NAMES, backendFlag, createBackend } from '../backends.js';
import { MODEL_OPTIONS, resolveModel } from '../models.js';
import { readImages } from '../image.js';
import { PREPROCESSING_HELP, PREPROCESSING_OPTIONS, imagePaths, imagePositionals, imagePreprocessing, trainingMetadata, warnIfSeeded } from '../photos.js';
import { writeNpy } from '../tensors.js';
import { UsageError } from '../errors.js';

/** [N, H, W, C] -> [N, C, H, W] (what torchvision's feature extractors return); other ranks as they are. */
function toNchw(t: TensorData): TensorData {
  if (t.shape.length !== 4) return t;
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h * w; i++) {
      for (let k = 0; k < c; k++) out[((b * c + k) * h * w) + i] = t.data[(b * h * w + i) * c + k]!;
    }
  }
  return { shape: [n, c, h, w], data: out };
}

export const embedCommand: Command = {
  name: 'embed',
  description: 'feature extraction: the output of any layer for photos, as .npy',
  usage: `convzoo embed <arch|model-dir> --image a.jpg [b.png ...] --layer NODE --output F.npy [--layout nhwc|nchw] [--backend B]
                [--resize N|H,W] [--crop N|H,W] [--mean a,b,c] [--std a,b,c] [--interpolation I]

  --layer NODE       a node name (convzoo summary lists them) or torchvision's module name for it:
                     layer4, layer3.1, avgpool (ResNet), inception4e, maxpool3 (GoogLeNet),
                     features, classifier (VGG, AlexNet); a container module means its output
  --output F.npy     that layer's output for the images, [N, ...] in their order, written atomically
  --layout           of a feature map in F.npy: nhwc (convzoo's, default) or nchw (torchvision's)
${PREPROCESSING_HELP}
  --backend          ${BACKEND_NAMES.join('|')}, default ${AUTO_HELP}`,
  options: {
    ...MODEL_OPTIONS, ...PREPROCESSING_OPTIONS, backend: { type: 'string' }, image: { type: 'string' },
    layer: { type: 'string' }, output: { type: 'string' }, layout: { type: 'string' },
  },
  positionals: imagePositionals,
  async run(args, io) {
    const { positionals, values } = args;
    const spec = positionals[0]!;
    const backendName = backendFlag(values.backend);
    const images = imagePaths(args);
    if (images === undefined) throw new UsageError('needs --image FILES');
    const layer = required(values.layer as string | undefined, '--layer NODE');
    const output = required(values.output as string | undefined, '--output F.npy');
    const layout = choice(values.layout, '--layout', ['nhwc', 'nchw'] as const) ?? 'nhwc';
    checkOutputPath(output, 'file');
    const model = resolveModel(spec, values, io.err);
    const registered = registry.list().some((e) => e.name === model.name);
    const aliases = registered ? registry.get(model.name).card().layerAliases : undefined;
    const node = resolveLayer(model, layer, aliases);
    const features = model.withOutputs([node]);
    const input = await readImages(images, imagePreprocessing(spec, model, values, trainingMetadata(spec)), model.inputShape);
    const compiled = await (await createBackend(backendName)).compile(features);
    try {
      const [out] = await compiled.predict(input);
      if (out === undefined) throw new ConvzooError('UNSUPPORTED', 'the model produced no output');
      const written = layout === 'nchw' ? toNchw(out) : out;
      writeNpy(output, written);
      warnIfSeeded(spec, values, io);
      io.err(`wrote ${output}: ${node}${node === layer ? '' : ` (${layer})`} [${written.shape.join(', ')}] (${compiled.device})`);
    } finally {
      await compiled.dispose();
    }
  },
};
