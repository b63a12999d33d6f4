import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

export const add: OpKernel<'Add'> = {
  op: 'Add',
  run(_node, xs) {
    return differentiable(
      xs,
      (xi) => ({ value: tf.addN(xi as tf.Tensor[]) }),
      (dy) => xs.map(() => tf.clone(dy)),
    );
  },
};
