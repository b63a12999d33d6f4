import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable, nhwcPads } from './grad.js';

export const zeroPadding2d: OpKernel<'ZeroPadding2D'> = {
  op: 'ZeroPadding2D',
  run(node, [x]) {
    const [[t, b], [l, r]] = node.attrs.padding;
    const shape = x!.shape;
    return differentiable(
      [x!],
      ([xi]) => ({ value: tf.pad(xi!, nhwcPads(t, b, l, r)) }),
      (dy) => [tf.slice(dy, [0, t, l, 0], shape)],
    );
  },
};
