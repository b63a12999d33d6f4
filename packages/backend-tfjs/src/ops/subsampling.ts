import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { channelSum, differentiable, runKernel } from './grad.js';

/** LeNet-5's S2/S4: the sum of each window times a trainable per-map coefficient, plus a bias. */
export const subsampling: OpKernel<'Subsampling'> = {
  op: 'Subsampling',
  run(node, [x], ctx) {
    const filterSize = [...node.attrs.poolSize] as [number, number];
    const strides = [...node.attrs.strides] as [number, number];
    const cells = filterSize[0] * filterSize[1];
    return differentiable(
      [x!, ctx.param('coefficient'), ctx.param('bias')],
      ([xi, coef, bias]) => {
        const sums = tf.mul(tf.avgPool(xi as tf.Tensor4D, filterSize, strides, 'valid'), cells);
        return { value: tf.add(tf.mul(sums, coef!), bias!), saved: [xi!, sums, coef!] };
      },
      (dy, [xi, sums, coef]) => [
        runKernel(tf.AvgPoolGrad, { dy: tf.mul(dy, tf.mul(coef!, cells)), input: xi! }, { filterSize, strides, pad: 'valid' }),
        channelSum(tf.mul(dy, sums!)),
        channelSum(dy),
      ],
    );
  },
};
