import type { Pads2D } from '@convzoo/core';
import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { intsIn, scalarIn, tensorIn } from './values.js';

export const pad: Handler = (node, [x, padsIn, valueIn, axesIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map']);
  const mode = a.string('mode', 'constant');
  if (mode !== 'constant') throw nodeError(node, `Pad mode ${mode} is not supported (only constant zeros)`, 'UNSUPPORTED');
  if (axesIn !== undefined) throw nodeError(node, 'Pad with an axes input is not supported', 'UNSUPPORTED');
  const p = ctx.opset >= 11 ? intsIn(node, padsIn, 1, 'pads') : a.ints('pads');
  const value = ctx.opset >= 11 ? (valueIn === undefined ? 0 : scalarIn(valueIn)) : a.float('value', 0);
  if (value !== 0) throw nodeError(node, `Pad with value ${value} is not supported (only zeros)`, 'UNSUPPORTED');
  const [n0, c0, t, l, n1, c1, b, r] = p as number[];
  if (p.length !== 8 || n0 !== 0 || c0 !== 0 || n1 !== 0 || c1 !== 0 || [t, l, b, r].some((q) => typeof q !== 'number' || q < 0)) {
    throw nodeError(node, `only non-negative padding of height and width is supported, got pads [${p.join(', ')}]`, 'UNSUPPORTED');
  }
  const padding: Pads2D = [[t!, b!], [l!, r!]];
  return { kind: 'map', node: ctx.add(node, 'ZeroPadding2D', [v.node], { padding }) };
};
