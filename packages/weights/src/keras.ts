/**
 * Keras Applications' `.h5` weights onto convzoo's models: the family's Keras layer names (its
 * registry entry's `keras` table), `<layer>/<weight>` per parameter. Keras keeps convzoo's
 * layouts (conv kernels HWIO, dense kernels [in, out], Flatten over NHWC), so no tensor is
 * rearranged, and its BatchNormalization weights are convzoo's names (gamma, beta, moving_mean,
 * moving_variance).
 */
import {
  ConvzooError, KERAS_CAFFE, Model, WeightsError, fitPreprocessing, formatShape, registry,
  type KerasNames, type TensorMap,
} from '@convzoo/core';
import { readKerasH5 } from './h5/keras-file.js';
import type { Source } from './load.js';

export interface KerasPlan {
  /** The model to load into: the one given, with Keras's caffe preprocessing. */
  readonly model: Model;
  /** The file's tensors, by dataset path. */
  readonly tensors: TensorMap;
  readonly plan: ReadonlyMap<string, Source>;
}

/**
 * Reads a Keras `.h5` file and maps it onto `model` by the family's Keras names. A node the
 * table has no Keras layer for, and a file whose layer has weights the model's node lacks where
 * the family has a Keras variant (a ResNet built as `torchvision`), are WeightsErrors saying so.
 */
export function kerasPlan(model: Model, bytes: Uint8Array, file: string | undefined, names?: KerasNames): KerasPlan {
  const where = file ?? 'weights';
  const table = names ?? registry.list().find((e) => e.name === model.name)?.keras;
  if (table === undefined) throw new WeightsError(`${where}: a Keras .h5 file, but no Keras layer names are known for "${model.name}" (Keras Applications has VGG16/VGG19 and ResNet50/101/152; pass options.keras)`);
  const h5 = readKerasH5(bytes, file);
  const layers = table.layers(model);
  const suffix = h5.indexed ? ':0' : '';
  const tensors: TensorMap = new Map([...h5.weights.values()].map((w) => [w.dataset, w.tensor]));
  const plan = new Map<string, Source>();
  const taken = new Set<string>();
  for (const p of model.paramEntries()) {
    const layer = layers.get(p.node);
    if (layer === undefined) throw new WeightsError(`${where}: node "${p.node}" of "${model.name}" has no Keras layer (Keras Applications builds no such network)`);
    const key = `${layer}/${p.name}`;
    taken.add(key);
    const dataset = h5.weights.get(key)?.dataset ?? `${layer}/${layer}/${p.name}${suffix}`;
    plan.set(p.key, {
      name: dataset,
      convert: (t, shape) => (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t.data : `expected ${formatShape(shape)} (Keras layer "${layer}")`),
    });
  }
  if (table.variant !== undefined) {
    const mapped = new Set(layers.values());
    const extra = [...h5.weights.entries()].find(([key]) => !taken.has(key) && mapped.has(key.slice(0, key.lastIndexOf('/'))));
    if (extra !== undefined) {
      throw new WeightsError(`${where}: Keras layer "${extra[0].slice(0, extra[0].lastIndexOf('/'))}" has dataset "${extra[1].dataset}" that "${model.name}" has no parameter for: Keras's network is the "${table.variant}" variant (build it with { variant: '${table.variant}' })`);
    }
  }
  return { model: model.withPreprocessing(kerasPreprocessing(model) ?? model.preprocessing), tensors, plan };
}

/** KERAS_CAFFE at the model's input, or none where it cannot give that input. */
function kerasPreprocessing(model: Model) {
  try {
    return fitPreprocessing(KERAS_CAFFE, model.inputShape);
  } catch (e) {
    if (e instanceof ConvzooError) return undefined;
    throw e;
  }
}
