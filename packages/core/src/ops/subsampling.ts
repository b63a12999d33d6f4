import type { OpDef } from './types.js';
import * as check from './checks.js';
import { window2d } from './window.js';

export const subsampling: OpDef<'Subsampling'> = {
  op: 'Subsampling',
  arity: 1,
  checkAttrs(a) {
    check.pair(a.poolSize, 'poolSize');
    check.pair(a.strides, 'strides');
  },
  inferShape([input], a) {
    const [h, w, c] = check.spatial(input!, 'Subsampling');
    const win = window2d(h, w, a.poolSize, a.strides, [1, 1], 'valid');
    if (win.h.out < 1 || win.w.out < 1) throw new Error(`window ${a.poolSize.join('x')} does not fit input ${h}x${w}x${c}`);
    return [win.h.out, win.w.out, c];
  },
  params([input]) {
    const c = input![2]!;
    return [
      { name: 'coefficient', shape: [c], trainable: true, init: 'quarter' },
      { name: 'bias', shape: [c], trainable: true, init: 'zeros' },
    ];
  },
  // LeNet-5's reference count (326,520) treats subsampling like pooling: no MACs.
  macs: () => 0,
};
