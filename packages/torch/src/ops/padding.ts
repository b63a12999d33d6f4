import { window2d, type Padding, type Pair } from '@convzoo/core';

/** Resolved pads of a window op (`'same'` is SAME_UPPER): torch's symmetric padding, or F.pad's (left, right, top, bottom). */
export interface Pads {
  readonly symmetric: readonly [number, number] | undefined;
  readonly explicit: readonly [number, number, number, number];
}

export function resolvePads(input: readonly number[], kernel: Pair, strides: Pair, dilation: Pair, padding: Padding, ceilMode = false): Pads {
  const { h, w } = window2d(input[0]!, input[1]!, kernel, strides, dilation, padding, ceilMode);
  const explicit = [w.padBefore, w.padAfter, h.padBefore, h.padAfter] as const;
  return { explicit, symmetric: h.padBefore === h.padAfter && w.padBefore === w.padAfter ? [h.padBefore, w.padBefore] : undefined };
}

/** `F.pad(x, (l, r, t, b))`, with `value` for max pooling (-inf never wins). */
export const fPad = (x: string, pads: readonly number[], value?: string): string =>
  `F.pad(${x}, (${pads.join(', ')})${value === undefined ? '' : `, value=${value}`})`;
