import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

export const dense: OpKernel<'Dense'> = {
  op: 'Dense',
  run(node, [x], ctx) {
    const useBias = node.attrs.useBias;
    const params = [ctx.param('kernel'), ...(useBias ? [ctx.param('bias')] : [])];
    return differentiable(
      [x!, ...params],
      ([xi, k, bias]) => ({
        value: tf.fused.matMul({ a: xi as tf.Tensor2D, b: k as tf.Tensor2D, ...(bias ? { bias } : {}) }),
        saved: [xi!, k!],
      }),
      (dy, [xi, k], [needsDx]) => [
        needsDx ? tf.matMul(dy, k!, false, true) : undefined,
        tf.matMul(xi!, dy, true, false),
        ...(useBias ? [tf.sum(dy, 0)] : []),
      ],
    );
  },
};
