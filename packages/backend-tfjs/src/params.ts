import * as tf from '@tensorflow/tfjs-core';
import { applyConnectionMask, type Model } from '@convzoo/core';

/** Uploads every weight of the model to the active tfjs backend, by `<node>/<param>`. */
export function uploadParams(model: Model): Map<string, tf.Tensor> {
  return new Map([...model.weights].map(([key, t]) => [key, tf.tensor(t.data, [...t.shape], 'float32')]));
}

/**
 * Writes tensors back into the model's weights in place (after training), so the same Model
 * runs on any backend. Masked connections are zeroed again: they must stay exactly zero.
 */
export async function downloadParams(model: Model, params: ReadonlyMap<string, tf.Tensor>): Promise<void> {
  for (const [key, t] of params) {
    const target = model.weights.get(key)!;
    target.data.set(await t.data() as Float32Array);
  }
  for (const node of model.nodes) {
    if (node.op === 'Conv2D' && node.attrs.connectionMask) applyConnectionMask(model.weight(node.name, 'kernel'), node.attrs.connectionMask);
  }
}
