import { ConvzooError, poolDilation } from '@convzoo/core';
import type { EmitContext, Emitter } from '../emitter.js';
import { pyBool, pyPair } from '../python.js';
import { fPad, resolvePads, type Pads } from './padding.js';

/** torch pools pad both sides alike and at most half the kernel; other pads go through F.pad. */
const torchPads = (pads: Pads, kernel: readonly number[]) =>
  pads.symmetric !== undefined && pads.symmetric[0] * 2 <= kernel[0]! && pads.symmetric[1] * 2 <= kernel[1]! ? pads.symmetric : undefined;

export const maxPool2d: Emitter<'MaxPool2D'> = (node, { inputShapes }: EmitContext) => {
  const a = node.attrs;
  const pads = resolvePads(inputShapes[0]!, a.poolSize, a.strides, poolDilation(a), a.padding, a.ceilMode);
  const own = torchPads(pads, a.poolSize);
  // dilation only where set, so the text of undilated pools stays as it was
  const dilation = a.dilation ? `, dilation=${pyPair(a.dilation)}` : '';
  const tail = `${pyPair(a.poolSize)}, ${pyPair(a.strides)}, ${pyPair(own ?? [0, 0])}${dilation}, ceil_mode=${pyBool(a.ceilMode)}`;
  return { forward: ([x]) => `F.max_pool2d(${own ? x : fPad(x!, pads.explicit, "float('-inf')")}, ${tail})` };
};

export const avgPool2d: Emitter<'AvgPool2D'> = (node, { inputShapes }: EmitContext) => {
  const a = node.attrs;
  if (a.dilation !== undefined) {
    throw new ConvzooError('UNSUPPORTED', `node "${node.name}": AvgPool2D with dilation ${pyPair(a.dilation)} has no PyTorch equivalent ` +
      '(nn.AvgPool2d and F.avg_pool2d take no dilation); expected dilation 1');
  }
  const pads = resolvePads(inputShapes[0]!, a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
  const own = torchPads(pads, a.poolSize);
  // Zeros padded by F.pad are counted like torch's own padding, so only count_include_pad can take that route.
  if (own === undefined && !a.countIncludePad) {
    throw new ConvzooError('UNSUPPORTED', `node "${node.name}": AvgPool2D with pads ${pads.explicit.join(', ')} (left, right, top, bottom) ` +
      'that do not count towards the average has no PyTorch pooling equivalent; expected symmetric pads of at most half the window, or countIncludePad');
  }
  const tail = `${pyPair(a.poolSize)}, ${pyPair(a.strides)}, ${pyPair(own ?? [0, 0])}, ceil_mode=${pyBool(a.ceilMode)}, count_include_pad=${pyBool(a.countIncludePad)}`;
  return { forward: ([x]) => `F.avg_pool2d(${own ? x : fPad(x!, pads.explicit)}, ${tail})` };
};
