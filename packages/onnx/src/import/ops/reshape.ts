import { nodeError, type TensorValue } from '../context.js';
import { flattenValue } from './flatten.js';
import type { Handler } from './types.js';
import { intsIn, KIND_WORDS, tensorIn } from './values.js';

/** Reshape: the flatten idioms [N, -1], [0, -1], [N, F], [-1, F]. */
export const reshape: Handler = (node, [x, s], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled', 'vec', 'flat']);
  if (a.int('allowzero', 0) !== 0) throw nodeError(node, 'allowzero 1 is not supported', 'UNSUPPORTED');
  const target = s?.kind === 'shape' ? s.values : intsIn(node, s, 1, 'shape');
  const size = (t: TensorValue) => t.node.shape.reduce((p, d) => p * d, 1);
  const batch = (d: number | 'N') => d === 'N' || d === 0 || (typeof d === 'number' && d > 0);
  if (target.length === 2 && batch(target[0]!) && (target[1] === -1 || target[1] === size(v))) return flattenValue(node, v, ctx);
  if (target.length === 2 && target[0] === -1 && target[1] === size(v)) return flattenValue(node, v, ctx);
  throw nodeError(node, `Reshape of ${KIND_WORDS[v.kind]} to [${target.join(', ')}] is not supported (only flattening to [N, -1])`, 'UNSUPPORTED');
};
