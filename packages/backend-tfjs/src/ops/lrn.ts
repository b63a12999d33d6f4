import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable, runKernel } from './grad.js';

/**
 * Sums each channel's window c - lo .. c + hi (zeros past the edges) along the last axis.
 * The transposed window (the backward pass) is windowSum(z, hi, lo).
 */
function windowSum(z: tf.Tensor, lo: number, hi: number): tf.Tensor {
  const c = z.shape[3]!;
  const padded = tf.pad(z, [[0, 0], [0, 0], [0, 0], [lo, hi]]);
  return tf.addN(Array.from({ length: lo + hi + 1 }, (_, k) => tf.slice(padded, [0, 0, 0, k], [-1, -1, -1, c])));
}

/**
 * The ONNX / PyTorch / Caffe LRN: y = x / (bias + alpha / size * sum_window x^2) ^ beta over the
 * channels c - floor((size-1)/2) .. c + ceil((size-1)/2). tfjs's localResponseNormalization
 * applies alpha to the plain sum over c - r .. c + r, so an odd size maps onto it with
 * r = (size-1)/2 and alpha / size; an even size has a lopsided window tfjs cannot express and
 * is computed from its definition.
 */
export const lrn: OpKernel<'LRN'> = {
  op: 'LRN',
  run(node, [x]) {
    const { size, alpha, beta, bias } = node.attrs;
    const scale = alpha / size;
    if (size % 2 === 1) {
      const depthRadius = (size - 1) / 2;
      return differentiable(
        [x!],
        ([xi]) => {
          const y = tf.localResponseNormalization(xi as tf.Tensor4D, depthRadius, bias, scale, beta);
          return { value: y, saved: [xi!, y] };
        },
        (dy, [xi, y]) => [runKernel(tf.LRNGrad, { x: xi!, y: y!, dy }, { depthRadius, bias, alpha: scale, beta })],
      );
    }
    const lo = Math.floor((size - 1) / 2);
    const hi = size - 1 - lo;
    return differentiable(
      [x!],
      ([xi]) => {
        const d = tf.add(tf.mul(windowSum(tf.square(xi!), lo, hi), scale), bias);
        return { value: tf.mul(xi!, tf.pow(d, -beta)), saved: [xi!, d] };
      },
      (dy, [xi, d]) => {
        // dx = dy * d^-beta - 2 * beta * scale * x * S^T(dy * x * d^(-beta-1))
        const inner = windowSum(tf.mul(tf.mul(dy, xi!), tf.pow(d!, -beta - 1)), hi, lo);
        return [tf.sub(tf.mul(dy, tf.pow(d!, -beta)), tf.mul(tf.mul(xi!, inner), 2 * beta * scale))];
      },
    );
  },
};
