import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

export const globalAvgPool2d: OpKernel<'GlobalAvgPool2D'> = {
  op: 'GlobalAvgPool2D',
  run(_node, [x]) {
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    return differentiable(
      [x!],
      // A whole-map average pool: tfjs's mean over inner axes transposes first, far slower.
      ([xi]) => ({ value: tf.reshape(tf.avgPool(xi as tf.Tensor4D, [h, w], 1, 'valid'), [n, c]) }),
      (dy) => [tf.broadcastTo(tf.reshape(tf.div(dy, h * w), [n, 1, 1, c]), [n, h, w, c])],
    );
  },
};
