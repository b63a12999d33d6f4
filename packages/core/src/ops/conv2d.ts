import type { OpDef } from './types.js';
import * as check from './checks.js';
import { describePadding, window2d } from './window.js';

function connections(mask: readonly (readonly number[])[]): number {
  let n = 0;
  for (const row of mask) for (const v of row) n += v;
  return n;
}

export const conv2d: OpDef<'Conv2D'> = {
  op: 'Conv2D',
  arity: 1,
  checkAttrs(a) {
    check.positiveInt(a.filters, 'filters');
    check.pair(a.kernelSize, 'kernelSize');
    check.pair(a.strides, 'strides');
    check.pair(a.dilation, 'dilation');
    check.padding(a.padding);
    check.positiveInt(a.groups, 'groups');
    check.bool(a.useBias, 'useBias');
    if (a.filters % a.groups !== 0) throw new Error(`filters (${a.filters}) must be divisible by groups (${a.groups})`);
    if (a.connectionMask !== undefined) {
      if (a.groups !== 1) throw new Error('connectionMask requires groups = 1');
      const m = a.connectionMask;
      if (!Array.isArray(m) || !m.every((r) => Array.isArray(r) && r.length === a.filters && r.every((v) => v === 0 || v === 1))) {
        throw new Error(`connectionMask must be rows of ${a.filters} zeros and ones (one row per input channel)`);
      }
    }
  },
  inferShape([input], a) {
    const [h, w, c] = check.spatial(input!, 'Conv2D');
    if (c % a.groups !== 0) throw new Error(`input channels (${c}) must be divisible by groups (${a.groups})`);
    if (a.connectionMask !== undefined && a.connectionMask.length !== c) {
      throw new Error(`connectionMask has ${a.connectionMask.length} rows, expected one per input channel (${c})`);
    }
    const win = window2d(h, w, a.kernelSize, a.strides, a.dilation, a.padding);
    if (win.h.out < 1 || win.w.out < 1) {
      throw new Error(
        `kernel ${a.kernelSize[0]}x${a.kernelSize[1]}${dilated(a.kernelSize, a.dilation)} does not fit input ${h}x${w}x${c} with padding ${describePadding(a.padding)}; ` +
          `the input is too small for this layer`,
      );
    }
    return [win.h.out, win.w.out, a.filters];
  },
  params([input], a) {
    const c = input![2]!;
    const [kh, kw] = a.kernelSize;
    const perGroupIn = c / a.groups;
    const fanIn = a.connectionMask ? (kh * kw * connections(a.connectionMask)) / a.filters : kh * kw * perGroupIn;
    const kernel = {
      name: 'kernel', shape: [kh, kw, perGroupIn, a.filters], trainable: true, init: 'heNormal' as const,
      fanIn, fanOut: kh * kw * (a.filters / a.groups),
      ...(a.connectionMask ? { count: kh * kw * connections(a.connectionMask) } : {}),
    };
    return a.useBias ? [kernel, { name: 'bias', shape: [a.filters], trainable: true, init: 'zeros' as const }] : [kernel];
  },
  macs([input], out, a) {
    const [kh, kw] = a.kernelSize;
    const perOutput = a.connectionMask ? connections(a.connectionMask) : (input![2]! / a.groups) * a.filters;
    return out[0]! * out[1]! * kh * kw * perOutput;
  },
};

/** ", dilation 2x2 (spanning 5x5)": a dilated kernel covers more input than its size says. */
function dilated(kernel: readonly [number, number], dilation: readonly [number, number]): string {
  if (dilation[0] === 1 && dilation[1] === 1) return '';
  return `, dilation ${dilation[0]}x${dilation[1]} (spanning ${dilation[0] * (kernel[0] - 1) + 1}x${dilation[1] * (kernel[1] - 1) + 1})`;
}
