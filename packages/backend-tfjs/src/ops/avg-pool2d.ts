import * as tf from '@tensorflow/tfjs-core';
import { window2d } from '@convzoo/core';
import type { OpKernel } from './types.js';
import { differentiable, nhwcPads, runKernel } from './grad.js';

export const avgPool2d: OpKernel<'AvgPool2D'> = {
  op: 'AvgPool2D',
  run(node, [x]) {
    const a = node.attrs;
    const shape = x!.shape as [number, number, number, number];
    const { h, w } = window2d(shape[1], shape[2], a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
    // tfjs divides by the cells a window covers, padding excluded. PyTorch's count_include_pad
    // counts the declared padding, so that padding becomes real zeros first; the ceil-mode
    // overhang is never counted either way, so it stays tfjs padding.
    const declared = h.padBefore + h.padAfter + w.padBefore + w.padAfter > 0;
    const padInput = a.countIncludePad && declared;
    const pad = padInput
      ? nhwcPads(0, h.ceilExtra, 0, w.ceilExtra)
      : nhwcPads(h.padBefore, h.padAfter + h.ceilExtra, w.padBefore, w.padAfter + w.ceilExtra);
    const zeros = nhwcPads(h.padBefore, h.padAfter, w.padBefore, w.padAfter);
    const filterSize = [...a.poolSize] as [number, number];
    const strides = [...a.strides] as [number, number];
    return differentiable(
      [x!],
      ([xi]) => {
        const xp = (padInput ? tf.pad(xi!, zeros) : xi!) as tf.Tensor4D;
        return { value: tf.avgPool(xp, filterSize, strides, pad), saved: [xp] };
      },
      (dy, [xp]) => {
        const dxp = runKernel(tf.AvgPoolGrad, { dy, input: xp! }, { filterSize, strides, pad });
        return [padInput ? tf.slice(dxp, [0, h.padBefore, w.padBefore, 0], shape) : dxp];
      },
    );
  },
};
