import * as tf from '@tensorflow/tfjs-core';
import { window2d } from '@convzoo/core';
import type { OpKernel } from './types.js';
import { differentiable, nhwcPads, runKernel } from './grad.js';

export const maxPool2d: OpKernel<'MaxPool2D'> = {
  op: 'MaxPool2D',
  run(node, [x]) {
    const a = node.attrs;
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
        // tfjs-backend-wasm's MaxPoolGrad sends a window's gradient to its first cell when every
        // value in it is negative. Max pooling commutes with a shift, so the kernel gets inputs
        // shifted to >= 1 (on every backend, one code path).
        const shift = tf.sub(1, tf.min(xi!));
        return [runKernel(tf.MaxPoolGrad, { dy, input: tf.add(xi!, shift), output: tf.add(y!, shift) }, { filterSize, strides, pad })];
      },
    );
  },
};
