import { nodeError, refuse, type TensorValue } from '../context.js';
import { flattenValue } from './flatten.js';
import type { Handler } from './types.js';
import { intsIn, KIND_WORDS, tensorIn } from './values.js';

/** Reshape (shape an attribute before 5, an input from 5): the flatten idioms [N, -1], [0, -1], [N, F], [-1, F]. */
export const reshape: Handler = (node, [x, s], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled', 'vec', 'flat']);
  const target = ctx.opset < 5 ? a.ints('shape') : s?.kind === 'shape' ? s.values : intsIn(node, s, 1, 'shape');
  if (a.int('allowzero', 0) !== 0 && target.includes(0)) throw refuse(node, 'allowzero', a.int('allowzero'), `the 0 in shape [${target.join(', ')}] then means size 0, not "copy the batch"`);
  const size = (t: TensorValue) => t.node.shape.reduce((p, d) => p * d, 1);
  const batch = (d: number | 'N') => d === 'N' || d === 0 || (typeof d === 'number' && d > 0);
  if (target.length === 2 && batch(target[0]!) && (target[1] === -1 || target[1] === size(v))) return flattenValue(node, v, ctx);
  if (target.length === 2 && target[0] === -1 && target[1] === size(v)) return flattenValue(node, v, ctx);
  throw nodeError(node, `Reshape of ${KIND_WORDS[v.kind]} to [${target.join(', ')}] is not supported (only flattening to [N, -1])`, 'UNSUPPORTED');
};
