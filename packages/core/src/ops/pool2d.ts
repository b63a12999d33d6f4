import type { OpAttrs, Pair } from './attrs.js';
import type { OpDef } from './types.js';
import * as check from './checks.js';
import { describePadding, window2d } from './window.js';

type PoolAttrs = OpAttrs['MaxPool2D'] | OpAttrs['AvgPool2D'];

/** Dilation 1x1 when absent. */
export const poolDilation = (a: PoolAttrs): Pair => a.dilation ?? [1, 1];

/** Extent of a dilated window: dilation * (poolSize - 1) + 1 per axis. */
function poolSpan(a: PoolAttrs): Pair {
  const d = poolDilation(a);
  return [d[0] * (a.poolSize[0] - 1) + 1, d[1] * (a.poolSize[1] - 1) + 1];
}

function checkPool(a: PoolAttrs): void {
  check.pair(a.poolSize, 'poolSize');
  check.pair(a.strides, 'strides');
  check.padding(a.padding);
  check.bool(a.ceilMode, 'ceilMode');
  if (a.dilation !== undefined) check.pair(a.dilation, 'dilation');
  if (typeof a.padding !== 'string') {
    const [[t, b], [l, r]] = a.padding;
    // ONNX and PyTorch require pads smaller than the (dilated) window; a larger pad only adds -inf/zero windows.
    const [sh, sw] = poolSpan(a);
    if (t >= sh || b >= sh || l >= sw || r >= sw) {
      throw new Error(`explicit pool padding ${JSON.stringify(a.padding)} must be smaller than the window ${JSON.stringify([sh, sw])}`);
    }
  }
}

function poolShape(op: string, input: readonly number[], a: PoolAttrs): readonly number[] {
  const [h, w, c] = check.spatial(input, op);
  const win = window2d(h, w, a.poolSize, a.strides, poolDilation(a), a.padding, a.ceilMode);
  if (win.h.out < 1 || win.w.out < 1) {
    const dil = a.dilation ? ` dilation ${JSON.stringify(a.dilation)}` : '';
    throw new Error(`pool ${a.poolSize[0]}x${a.poolSize[1]}${dil} does not fit input ${h}x${w}x${c} with padding ${describePadding(a.padding)}; the input is too small for this layer`);
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
