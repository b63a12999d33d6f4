import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

/** Inverted dropout in training (kept units scaled by 1 / (1 - rate)); identity at inference. */
export const dropout: OpKernel<'Dropout'> = {
  op: 'Dropout',
  run(node, [x], ctx) {
    const rate = node.attrs.rate;
    if (!ctx.training || rate === 0) return tf.clone(x!);
    const mask = ctx.dropoutMask(rate, x!.shape);
    return differentiable(
      [x!],
      ([xi]) => ({ value: tf.mul(xi!, mask), saved: [mask] }),
      (dy, [m]) => [tf.mul(dy, m!)],
    );
  },
};
