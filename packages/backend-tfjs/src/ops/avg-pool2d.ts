import * as tf from '@tensorflow/tfjs-core';
import { window2d, windowDivisors } from '@convzoo/core';
import type { OpKernel } from './types.js';
import { dilatedPool } from './dilated-pool.js';
import { differentiable, nhwcPads, runKernel } from './grad.js';

/**
 * tfjs's avgPool divides by the cells inside the input, but its AvgPoolGrad divides by the
 * whole window, so the two disagree wherever a window holds padding. Padded pools are
 * therefore window means of an explicitly zero-padded input ('valid', where both agree) times
 * window / divisor, which also gives PyTorch's count_include_pad and ceil-mode rules.
 */
export const avgPool2d: OpKernel<'AvgPool2D'> = {
  op: 'AvgPool2D',
  run(node, [x]) {
    const a = node.attrs;
    if (a.dilation !== undefined) return dilatedPool(node, x as tf.Tensor4D);
    const shape = x!.shape as [number, number, number, number];
    const { h, w } = window2d(shape[1], shape[2], a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
    const filterSize = [...a.poolSize] as [number, number];
    const strides = [...a.strides] as [number, number];
    const pads = [h.padBefore, h.padAfter + h.ceilExtra, w.padBefore, w.padAfter + w.ceilExtra] as const;
    const padded = pads.some((p) => p > 0);
    const scale = padded ? (() => {
      const dh = windowDivisors(h, shape[1], filterSize[0], strides[0], a.countIncludePad);
      const dw = windowDivisors(w, shape[2], filterSize[1], strides[1], a.countIncludePad);
      const cells = filterSize[0] * filterSize[1];
      return tf.tensor4d(dh.flatMap((r) => dw.map((c) => cells / (r * c))), [1, h.out, w.out, 1]);
    })() : undefined;
    return differentiable(
      [x!],
      ([xi]) => {
        const xp = (scale ? tf.pad(xi!, nhwcPads(...pads)) : xi!) as tf.Tensor4D;
        const mean = tf.avgPool(xp, filterSize, strides, 'valid');
        return { value: scale ? tf.mul(mean, scale) : mean, saved: [xp, ...(scale ? [scale] : [])] };
      },
      (dy, [xp, s]) => {
        const dxp = runKernel(tf.AvgPoolGrad, { dy: s ? tf.mul(dy, s) : dy, input: xp! }, { filterSize, strides, pad: 'valid' });
        return [s ? tf.slice(dxp, [0, h.padBefore, w.padBefore, 0], shape) : dxp];
      },
    );
  },
};
