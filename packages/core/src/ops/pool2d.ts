import type { OpAttrs } from './attrs.js';
import type { OpDef } from './types.js';
import * as check from './checks.js';
import { describePadding, window2d } from './window.js';

type PoolAttrs = OpAttrs['MaxPool2D'] | OpAttrs['AvgPool2D'];

function checkPool(a: PoolAttrs): void {
  check.pair(a.poolSize, 'poolSize');
  check.pair(a.strides, 'strides');
  check.padding(a.padding);
  check.bool(a.ceilMode, 'ceilMode');
  if (typeof a.padding !== 'string') {
    const [[t, b], [l, r]] = a.padding;
    // ONNX and PyTorch require pads smaller than the window; a larger pad only adds -inf/zero windows.
    if (t >= a.poolSize[0] || b >= a.poolSize[0] || l >= a.poolSize[1] || r >= a.poolSize[1]) {
      throw new Error(`explicit pool padding ${JSON.stringify(a.padding)} must be smaller than poolSize ${JSON.stringify(a.poolSize)}`);
    }
  }
}

function poolShape(op: string, input: readonly number[], a: PoolAttrs): readonly number[] {
  const [h, w, c] = check.spatial(input, op);
  const win = window2d(h, w, a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
  if (win.h.out < 1 || win.w.out < 1) {
    throw new Error(`pool ${a.poolSize[0]}x${a.poolSize[1]} does not fit input ${h}x${w}x${c} with padding ${describePadding(a.padding)}; the input is too small for this layer`);
  }
  return [win.h.out, win.w.out, c];
}

export const maxPool2d: OpDef<'MaxPool2D'> = {
  op: 'MaxPool2D',
  arity: 1,
  checkAttrs: checkPool,
  inferShape: ([input], a) => poolShape('MaxPool2D', input!, a),
  params: () => [],
  macs: () => 0,
};

export const avgPool2d: OpDef<'AvgPool2D'> = {
  op: 'AvgPool2D',
  arity: 1,
  checkAttrs(a) {
    checkPool(a);
    check.bool(a.countIncludePad, 'countIncludePad');
  },
  inferShape: ([input], a) => poolShape('AvgPool2D', input!, a),
  params: () => [],
  macs: () => 0,
};
