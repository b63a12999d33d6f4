import * as tf from '@tensorflow/tfjs-core';
import { window2d } from '@convzoo/core';
import type { OpKernel } from './types.js';
import { differentiable, nhwcPads, runKernel } from './grad.js';
import { dilatedPool } from './dilated-pool.js';
import { maxPoolGradient } from './max-pool-gradient.js';

export const maxPool2d: OpKernel<'MaxPool2D'> = {
  op: 'MaxPool2D',
  run(node, [x]) {
    const a = node.attrs;
    if (a.dilation !== undefined) return dilatedPool(node, x as tf.Tensor4D);
    const [, h, w] = x!.shape as [number, number, number, number];
    const win = window2d(h, w, a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
    // tfjs max pooling never lets padding win, so the ceil-mode overhang is simply more padding.
    const pad = nhwcPads(win.h.padBefore, win.h.padAfter + win.h.ceilExtra, win.w.padBefore, win.w.padAfter + win.w.ceilExtra);
    const filterSize = [...a.poolSize] as [number, number];
    const strides = [...a.strides] as [number, number];
    return differentiable(
      [x!],
      ([xi]) => {
        const y = tf.maxPool(xi as tf.Tensor4D, filterSize, strides, pad);
        return { value: y, saved: [xi!, y] };
      },
      (dy, [xi, y]) => {
        // wasm's MaxPoolGrad routes windows of negatives and ties wrongly (max-pool-gradient.ts).
        if (tf.getBackend() === 'wasm') return [tf.tensor(maxPoolGradient(xi!.dataSync(), dy.dataSync(), xi!.shape, a), xi!.shape)];
        return [runKernel(tf.MaxPoolGrad, { dy, input: xi!, output: y! }, { filterSize, strides, pad })];
      },
    );
  },
};
