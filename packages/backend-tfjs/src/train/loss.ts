import * as tf from '@tensorflow/tfjs-core';
import { ConvzooError, type Model } from '@convzoo/core';
import { differentiable } from '../ops/grad.js';

/**
 * The logits behind a classifier output: the input of a final softmax (trained and scored from
 * logits, for stability), or the output itself. Returns the node name and the class count.
 */
export function logitsOf(model: Model, output: string): { node: string; classes: number } {
  const node = model.nodes.find((n) => n.name === output)!;
  const logits = node.op === 'Activation' && node.attrs.fn === 'softmax' ? node.inputs[0]! : output;
  const shape = model.shapeOf(logits);
  if (shape.length !== 1) {
    throw new ConvzooError('ARGUMENT_INVALID', `training needs classifier outputs of shape [classes]; "${output}" has shape [${shape.join(', ')}]`);
  }
  return { node: logits, classes: shape[0]! };
}

/**
 * sum_h weights[h] * mean_n(-log softmax(logits[h])[n, label]): softmax cross-entropy from
 * logits, one term per head. Gradient: weights[h] * (softmax - onehot) / N.
 */
export function softmaxCrossEntropy(logits: readonly tf.Tensor[], weights: readonly number[], onehot: tf.Tensor): tf.Scalar {
  const n = onehot.shape[0]!;
  return differentiable(
    logits,
    (zs) => {
      const terms = zs.map((z, h) => tf.mul(tf.sum(tf.mul(onehot, tf.logSoftmax(z))), -weights[h]! / n));
      return { value: tf.addN(terms), saved: [onehot, ...zs.map((z) => tf.softmax(z))] };
    },
    (dy, [y, ...probs]) => probs.map((p, h) => tf.mul(tf.sub(p, y!), tf.mul(dy, weights[h]! / n))),
  ) as tf.Scalar;
}

/** How many rows of logits pick their label. */
export function correctCount(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'));
}
