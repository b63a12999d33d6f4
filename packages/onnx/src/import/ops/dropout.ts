import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { relabel, scalarIn, tensorIn } from './values.js';

export const dropout: Handler = (node, [x, ratioIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  if (node.outputs.length > 1 && node.outputs[1] !== '') throw nodeError(node, 'the dropout mask output is not supported', 'UNSUPPORTED');
  const rate = ctx.opset >= 12 ? (ratioIn === undefined ? 0.5 : scalarIn(ratioIn)) : a.float('ratio', 0.5);
  if (rate === undefined) throw nodeError(node, 'ratio must be a constant scalar', 'UNSUPPORTED');
  return relabel(v, ctx.add(node, 'Dropout', [v.node], { rate }));
};
