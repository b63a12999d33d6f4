import { refuse } from '../context.js';
import type { Handler } from './types.js';
import { relabel, tensorIn } from './values.js';

/** LeakyRelu (1, 6, 16; alpha default 0.01): only alpha 0, a ReLU; convzoo has no leaky activation. */
export const leakyRelu: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const alpha = a.float('alpha', 0.01);
  if (alpha !== 0) throw refuse(node, 'alpha', alpha, 'convzoo\'s activations have no leaky ReLU (only alpha 0, a ReLU)');
  return relabel(v, ctx.add(node, 'Activation', [v.node], { fn: 'relu' }));
};
