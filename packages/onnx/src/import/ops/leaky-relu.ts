import type { Handler } from './types.js';
import { relabel, tensorIn } from './values.js';

/** LeakyRelu (1, 6, 16; alpha default 0.01): alpha 0 is a ReLU, any other alpha convzoo's leaky_relu. */
export const leakyRelu: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const alpha = a.float('alpha', 0.01);
  return relabel(v, ctx.add(node, 'Activation', [v.node], alpha === 0 ? { fn: 'relu' } : { fn: 'leaky_relu', alpha }));
};
