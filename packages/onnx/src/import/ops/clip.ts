import { refuse } from '../context.js';
import type { Handler } from './types.js';
import { relabel, scalarIn, tensorIn } from './values.js';

const FLT_MAX = 3.4028234663852886e38;

/**
 * Clip: bounds are attributes min / max (1, 6; default -FLT_MAX / FLT_MAX) and optional inputs
 * from 11. convzoo has ReLU (min 0, no max) and the identity (no bounds); it has no ReLU6.
 */
export const clip: Handler = (node, [x, minIn, maxIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const bound = (name: 'min' | 'max', input: typeof minIn, fallback: number): number | string => {
    if (ctx.opset < 11) return a.float(name, fallback);
    return input === undefined ? fallback : scalarIn(input) ?? 'a non-constant';
  };
  const min = bound('min', minIn, -FLT_MAX);
  const max = bound('max', maxIn, FLT_MAX);
  if (typeof max !== 'number' || max < FLT_MAX) throw refuse(node, 'max', max, 'convzoo has no upper-bounded activation (ReLU6); only an unbounded max');
  if (typeof min === 'number' && min <= -FLT_MAX) return v;
  if (min !== 0) throw refuse(node, 'min', min, 'only min 0 (a ReLU) or no lower bound');
  return relabel(v, ctx.add(node, 'Activation', [v.node], { fn: 'relu' }));
};
