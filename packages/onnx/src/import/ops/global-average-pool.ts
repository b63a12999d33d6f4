import type { Handler } from './types.js';
import { tensorIn } from './values.js';

export const globalAvgPool: Handler = (node, [x], ctx) => ({
  kind: 'pooled',
  node: ctx.add(node, 'GlobalAvgPool2D', [tensorIn(node, x, 0, ['map']).node], {}),
});
