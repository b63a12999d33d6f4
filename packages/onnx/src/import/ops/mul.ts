import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { relabel, scalarIn } from './values.js';

const SCALED_TANH = { inner: 2 / 3, outer: 1.7159 };
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.abs(b);

/** Mul by a scalar is supported only inside LeNet's 1.7159 * tanh(2x / 3). */
export const mul: Handler = (node, [x, y], ctx) => {
  const [value, factor] = scalarIn(y) !== undefined ? [x, scalarIn(y)!] : [y, scalarIn(x)];
  if (factor !== undefined && value?.kind === 'tanh_scaled' && close(value.factor, SCALED_TANH.inner) && close(factor, SCALED_TANH.outer)) {
    return relabel(value.of, ctx.add(node, 'Activation', [value.of.node], { fn: 'scaled_tanh' }));
  }
  if (factor !== undefined && value !== undefined && 'node' in value) return { kind: 'scaled', of: value, factor };
  throw nodeError(node, 'Mul is supported only as part of 1.7159 * tanh(2x / 3) (LeNet-5\'s squashing function)', 'UNSUPPORTED');
};
