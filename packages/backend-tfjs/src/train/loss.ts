import * as tf from '@tensorflow/tfjs-core';
import { differentiable } from '../ops/grad.js';

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
