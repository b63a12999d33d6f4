import type { Handler } from './types.js';
import { tensorIn } from './values.js';

export const lrn: Handler = (node, [x], ctx, a) => ({
  kind: 'map',
  node: ctx.add(node, 'LRN', [tensorIn(node, x, 0, ['map']).node], {
    size: a.int('size'), alpha: a.float('alpha', 1e-4), beta: a.float('beta', 0.75), bias: a.float('bias', 1),
  }),
});
