/**
 * Max pooling's gradient in plain loops over NHWC data: each window's gradient goes to its
 * first maximum in scan order (ONNX Runtime's and PyTorch's rule). tfjs-backend-wasm's
 * MaxPoolGrad kernel starts every window at 0 on its first cell (a window of negatives sends
 * its gradient there) and lets later equal values win; shifting inputs positive would round
 * nearby values together. Reading wasm memory is a copy, and these loops cost a small fraction
 * of the convolutions around them.
 */
import { window2d, type NodeOf } from '@convzoo/core';

/** For each output value (NHWC order), the flat input index of its window's first maximum. */
export function maxPoolArgmax(x: ArrayLike<number>, [n, h, w, c]: readonly number[], attrs: NodeOf<'MaxPool2D'>['attrs']): Int32Array {
  const win = window2d(h!, w!, attrs.poolSize, attrs.strides, [1, 1], attrs.padding, attrs.ceilMode);
  const [oh, ow] = [win.h.out, win.w.out];
  const [ph, pw] = attrs.poolSize;
  const [sh, sw] = attrs.strides;
  const argmax = new Int32Array(n! * oh * ow * c!);
  for (let b = 0; b < n!; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(0, oy * sh - win.h.padBefore);
      const y1 = Math.min(h!, oy * sh - win.h.padBefore + ph);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = Math.max(0, ox * sw - win.w.padBefore);
        const x1 = Math.min(w!, ox * sw - win.w.padBefore + pw);
        const out = ((b * oh + oy) * ow + ox) * c!;
        for (let ch = 0; ch < c!; ch++) {
          let at = ((b * h! + y0) * w! + x0) * c! + ch;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const i = ((b * h! + iy) * w! + ix) * c! + ch;
              if (x[i]! > x[at]!) at = i;
            }
          }
          argmax[out + ch] = at;
        }
      }
    }
  }
  return argmax;
}

/** dx for dy: each window's gradient added at its first maximum (windows may overlap). */
export function maxPoolGradient(
  x: ArrayLike<number>, dy: ArrayLike<number>, shape: readonly number[], attrs: NodeOf<'MaxPool2D'>['attrs'],
): Float32Array {
  const argmax = maxPoolArgmax(x, shape, attrs);
  const dx = new Float32Array(x.length);
  for (let o = 0; o < argmax.length; o++) dx[argmax[o]!]! += dy[o]!;
  return dx;
}
