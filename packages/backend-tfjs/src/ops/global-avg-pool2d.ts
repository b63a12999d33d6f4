import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

export const globalAvgPool2d: OpKernel<'GlobalAvgPool2D'> = {
  op: 'GlobalAvgPool2D',
  run(_node, [x]) {
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    return differentiable(
      [x!],
      ([xi]) => ({ value: tf.mean(xi!, [1, 2]) }),
      (dy) => [tf.broadcastTo(tf.reshape(tf.div(dy, h * w), [n, 1, 1, c]), [n, h, w, c])],
    );
  },
};
