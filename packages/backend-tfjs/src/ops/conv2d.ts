import * as tf from '@tensorflow/tfjs-core';
import { window2d } from '@convzoo/core';
import type { OpKernel } from './types.js';
import { channelSum, differentiable, nhwcPads, runKernel } from './grad.js';

type Pair = [number, number];

/**
 * tfjs has no grouped convolution (tfjs#3900): groups > 1 split the channels, run one
 * convolution per group and concatenate (AlexNet's two towers).
 */
const split = (t: tf.Tensor, groups: number): tf.Tensor4D[] => (groups === 1 ? [t as tf.Tensor4D] : tf.split(t as tf.Tensor4D, groups, 3));
const join = (ts: tf.Tensor[]): tf.Tensor => (ts.length === 1 ? ts[0]! : tf.concat(ts, 3));

export const conv2d: OpKernel<'Conv2D'> = {
  op: 'Conv2D',
  run(node, [x], ctx) {
    const a = node.attrs;
    const [, h, w, cin] = x!.shape as [number, number, number, number];
    const win = window2d(h, w, a.kernelSize, a.strides, a.dilation, a.padding);
    const pad = nhwcPads(win.h.padBefore, win.h.padAfter, win.w.padBefore, win.w.padAfter);
    const strides = [...a.strides] as Pair;
    const dilations = [...a.dilation] as Pair;
    // LeNet-5's C3: the kernel is multiplied by its 0/1 connection map, so masked entries
    // neither contribute nor receive a gradient.
    const mask = a.connectionMask && tf.tensor4d(a.connectionMask.flat(), [1, 1, cin, a.filters]);
    const params = [ctx.param('kernel'), ...(a.useBias ? [ctx.param('bias')] : [])];
    return differentiable(
      [x!, ...params],
      ([xi, k, bias]) => {
        const km = mask ? tf.mul(k!, mask) : k!;
        const ks = split(km, a.groups);
        const fuseBias = a.groups === 1 && bias !== undefined;
        let y = join(split(xi!, a.groups).map((xg, g) =>
          tf.fused.conv2d({ x: xg, filter: ks[g]!, strides, pad, dilations, ...(fuseBias ? { bias } : {}) })));
        if (!fuseBias && bias) y = tf.add(y, bias);
        return { value: y, saved: [xi!, km, ...(mask ? [mask] : [])] };
      },
      (dy, [xi, km, m], [needsDx]) => {
        const xs = split(xi!, a.groups);
        const ks = split(km!, a.groups);
        const dys = split(dy, a.groups);
        const dx = needsDx ? join(dys.map((d, g) => tf.conv2dTranspose(d, ks[g]!, xs[g]!.shape, strides, pad))) : undefined;
        const dk = join(dys.map((d, g) =>
          runKernel(tf.Conv2DBackpropFilter, { x: xs[g]!, dy: d }, { strides, pad, dataFormat: 'NHWC', filterShape: ks[g]!.shape })));
        return [dx, m ? tf.mul(dk, m) : dk, ...(a.useBias ? [channelSum(dy)] : [])];
      },
    );
  },
  trainingLimit(node) {
    const [dh, dw] = node.attrs.dilation;
    return dh > 1 || dw > 1 ? 'tfjs has no gradient kernels for dilated convolutions' : undefined;
  },
};
