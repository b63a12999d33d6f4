import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

/** Along the channel (last) axis. */
export const concatenate: OpKernel<'Concatenate'> = {
  op: 'Concatenate',
  run(_node, xs) {
    const axis = xs[0]!.rank - 1;
    const widths = xs.map((x) => x.shape[axis]!);
    return differentiable(
      xs,
      (xi) => ({ value: tf.concat(xi as tf.Tensor[], axis) }),
      (dy) => tf.split(dy, widths, axis),
    );
  },
};
