import { refuse } from '../context.js';
import type { Handler } from './types.js';
import { relabel, scalarIn, tensorIn } from './values.js';

const FLT_MAX = 3.4028234663852886e38;

/**
 * Clip: bounds are attributes min / max (1, 6; default -FLT_MAX / FLT_MAX) and optional inputs
 * from 11. No bounds is the identity, min 0 alone a ReLU, anything else convzoo's clip (ReLU6
 * is min 0, max 6); a bound at +-FLT_MAX is no bound. Bounds must be constants.
 */
export const clip: Handler = (node, [x, minIn, maxIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const bound = (name: 'min' | 'max', input: typeof minIn, fallback: number): number | string => {
    if (ctx.opset < 11) return a.float(name, fallback);
    return input === undefined ? fallback : scalarIn(input) ?? 'a non-constant';
  };
  const min = bound('min', minIn, -FLT_MAX);
  const max = bound('max', maxIn, FLT_MAX);
  if (typeof min !== 'number') throw refuse(node, 'min', min, 'a constant lower bound');
  if (typeof max !== 'number') throw refuse(node, 'max', max, 'a constant upper bound');
  if (min > max) throw refuse(node, 'min', min, `at most max (${max})`);
  const lo = min <= -FLT_MAX ? undefined : min;
  const hi = max >= FLT_MAX ? undefined : max;
  if (lo === undefined && hi === undefined) return v;
  const attrs = lo === 0 && hi === undefined ? { fn: 'relu' as const } : { fn: 'clip' as const, ...(lo === undefined ? {} : { min: lo }), ...(hi === undefined ? {} : { max: hi }) };
  return relabel(v, ctx.add(node, 'Activation', [v.node], attrs));
};
