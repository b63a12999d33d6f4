import type { Pads2D } from '@convzoo/core';
import { nodeError, refuse } from '../context.js';
import type { Handler } from './types.js';
import { intsIn, scalarIn, tensorIn } from './values.js';

/**
 * Pad 1 (attribute `paddings`), 2 (`pads`, `value`), 11 (both as inputs), 18 (an `axes` input
 * naming the padded axes) and 19 (mode wrap): zero padding of height and width only, as
 * convzoo's ZeroPadding2D.
 */
export const pad: Handler = (node, [x, padsIn, valueIn, axesIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map']);
  const mode = a.string('mode', 'constant');
  if (mode !== 'constant') throw refuse(node, 'mode', mode, 'convzoo pads with zeros only (ZeroPadding2D)');
  const given = ctx.opset >= 11 ? intsIn(node, padsIn, 1, 'pads') : a.ints(ctx.opset >= 2 ? 'pads' : 'paddings');
  const value = ctx.opset >= 11 ? (valueIn === undefined ? 0 : scalarIn(valueIn)) : a.float('value', 0);
  if (value !== 0) throw refuse(node, ctx.opset >= 11 ? 'constant_value' : 'value', value ?? 'a non-constant', 'convzoo pads with zeros only (ZeroPadding2D)');
  // From 18 the pads may cover only the axes listed: spread them over all four.
  const axes = axesIn === undefined ? [0, 1, 2, 3] : intsIn(node, axesIn, 3, 'axes').map((d) => (typeof d === 'number' && d < 0 ? d + 4 : d));
  if (given.length !== 2 * axes.length || axes.some((d) => typeof d !== 'number' || d < 0 || d > 3)) {
    throw nodeError(node, `pads [${given.join(', ')}] do not match axes [${axes.join(', ')}] of a 4-D input`);
  }
  const p = [0, 0, 0, 0, 0, 0, 0, 0];
  axes.forEach((d, i) => {
    p[d as number] = given[i] as number;
    p[(d as number) + 4] = given[i + axes.length] as number;
  });
  const [n0, c0, t, l, n1, c1, b, r] = p as [number, number, number, number, number, number, number, number];
  if (n0 !== 0 || c0 !== 0 || n1 !== 0 || c1 !== 0 || [t, l, b, r].some((q) => typeof q !== 'number' || q < 0)) {
    throw refuse(node, 'pads', p, 'only non-negative padding of height and width');
  }
  const padding: Pads2D = [[t, b], [l, r]];
  return { kind: 'map', node: ctx.add(node, 'ZeroPadding2D', [v.node], { padding }) };
};
