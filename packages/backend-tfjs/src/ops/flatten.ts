import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

/** Channels-last order, as the IR defines it (Dense kernels after a Flatten depend on it). */
export const flatten: OpKernel<'Flatten'> = {
  op: 'Flatten',
  run(_node, [x]) {
    const shape = x!.shape;
    return differentiable(
      [x!],
      ([xi]) => ({ value: tf.reshape(xi!, [shape[0]!, -1]) }),
      (dy) => [tf.reshape(dy, shape)],
    );
  },
};
