import * as tf from '@tensorflow/tfjs-core';
import { poolDilation, window2d, windowDivisors, type NodeOf } from '@convzoo/core';
import { differentiable, nhwcPads } from './grad.js';

type PoolNode = NodeOf<'MaxPool2D'> | NodeOf<'AvgPool2D'>;

/** Spreads g [n, oh, ow, c] to rows y0, y0 + sh, ... and columns x0, x0 + sw, ... of a zero [n, hp, wp, c]. */
function place(g: tf.Tensor, y0: number, x0: number, [sh, sw]: readonly [number, number], hp: number, wp: number): tf.Tensor {
  const [n, oh, ow, c] = g.shape as [number, number, number, number];
  const rows = tf.reshape(tf.pad(tf.reshape(g, [n, oh, 1, ow, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, 0]]), [n, oh * sh, ow, c]);
  const cols = tf.reshape(tf.pad(tf.reshape(rows, [n, oh * sh, ow, 1, c]), [[0, 0], [0, 0], [0, 0], [0, sw - 1], [0, 0]]), [n, oh * sh, ow * sw, c]);
  const spanH = (oh - 1) * sh + 1, spanW = (ow - 1) * sw + 1;
  return tf.pad(tf.slice(cols, [0, 0, 0, 0], [n, spanH, spanW, c]), nhwcPads(y0, hp - y0 - spanH, x0, wp - x0 - spanW));
}

/**
 * Dilated max and average pooling as the max / sum of the window's taps, each a strided slice of
 * the padded input, with the backward pass spreading each tap's share back. tfjs 4.22's maxPool
 * and avgPool take no dilations (only tf.pool does, by space-to-batch, with 'same' / 'valid'
 * padding and input-only averages), and this form runs on every backend. Max ties send the
 * gradient to the first tap in scan order, as ONNX Runtime and PyTorch do.
 */
export function dilatedPool(node: PoolNode, x: tf.Tensor4D): tf.Tensor {
  const a = node.attrs;
  const dilation = poolDilation(a);
  const [n, h, w, c] = x.shape;
  const win = window2d(h, w, a.poolSize, a.strides, dilation, a.padding, a.ceilMode);
  const [kh, kw] = a.poolSize;
  const pads = nhwcPads(win.h.padBefore, win.h.padAfter + win.h.ceilExtra, win.w.padBefore, win.w.padAfter + win.w.ceilExtra);
  const hp = h + pads[1][0] + pads[1][1], wp = w + pads[2][0] + pads[2][1];
  const starts = Array.from({ length: kh * kw }, (_, t) => [Math.floor(t / kw) * dilation[0], (t % kw) * dilation[1]] as const);
  const taps = (xp: tf.Tensor) => starts.map(([y0, x0]) =>
    tf.stridedSlice(xp, [0, y0, x0, 0], [n, y0 + (win.h.out - 1) * a.strides[0] + 1, x0 + (win.w.out - 1) * a.strides[1] + 1, c], [1, a.strides[0], a.strides[1], 1]));
  const unpad = (dxp: tf.Tensor) => tf.slice(dxp, [0, pads[1][0], pads[2][0], 0], [n, h, w, c]);
  if (node.op === 'MaxPool2D') {
    return differentiable([x], ([xi]) => {
      const xp = tf.pad(xi!, pads, -Infinity);
      const y = taps(xp).reduce((m, t) => tf.maximum(m, t));
      return { value: y, saved: [xp, y] };
    }, (dy, [xp, y]) => {
      let taken: tf.Tensor = tf.zerosLike(y!);
      const parts = taps(xp!).map((t, i) => {
        const first = tf.mul(tf.cast(tf.equal(t, y!), 'float32'), tf.sub(1, taken));
        taken = tf.add(taken, first);
        return place(tf.mul(dy, first), starts[i]![0], starts[i]![1], a.strides, hp, wp);
      });
      return [unpad(tf.addN(parts))];
    });
  }
  const dh = windowDivisors(win.h, h, kh, a.strides[0], node.attrs.countIncludePad, dilation[0]);
  const dw = windowDivisors(win.w, w, kw, a.strides[1], node.attrs.countIncludePad, dilation[1]);
  const divisor = dh.flatMap((r) => dw.map((q) => r * q));
  return differentiable([x], ([xi]) => {
    const d = tf.tensor4d(divisor, [1, win.h.out, win.w.out, 1]);
    return { value: tf.div(tf.addN(taps(tf.pad(xi!, pads))), d), saved: [d] };
  }, (dy, [d]) => {
    const g = tf.div(dy, d!);
    return [unpad(tf.addN(starts.map(([y0, x0]) => place(g, y0, x0, a.strides, hp, wp))))];
  });
}
