import type { Handler } from './types.js';
import { relabel, tensorIn } from './values.js';

/** Elementwise activations keep the layout (and a pending flatten permutation). */
export function unary(fn: 'relu' | 'tanh' | 'sigmoid'): Handler {
  return (node, [x], ctx) => {
    if (fn === 'tanh' && x?.kind === 'scaled') return { kind: 'tanh_scaled', of: x.of, factor: x.factor };
    const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
    return relabel(v, ctx.add(node, 'Activation', [v.node], { fn }));
  };
}
