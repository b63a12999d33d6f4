import type { OpDef } from './types.js';
import * as check from './checks.js';

export const dense: OpDef<'Dense'> = {
  op: 'Dense',
  arity: 1,
  checkAttrs(a) {
    check.positiveInt(a.units, 'units');
    check.bool(a.useBias, 'useBias');
  },
  inferShape([input], a) {
    if (input!.length !== 1) {
      throw new Error(`Dense expects a flat input [features], got [${input!.join(', ')}]; insert a Flatten or GlobalAvgPool2D first`);
    }
    return [a.units];
  },
  params([input], a) {
    const fanIn = input![0]!;
    const kernel = { name: 'kernel', shape: [fanIn, a.units], trainable: true, init: 'glorotUniform' as const, fanIn, fanOut: a.units };
    return a.useBias ? [kernel, { name: 'bias', shape: [a.units], trainable: true, init: 'zeros' as const }] : [kernel];
  },
  macs([input], _out, a) {
    return input![0]! * a.units;
  },
};
