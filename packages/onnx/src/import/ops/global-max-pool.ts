import type { Handler } from './types.js';
import { tensorIn } from './values.js';

/** GlobalMaxPool: a MaxPool2D over the whole map ([N, C, 1, 1], a 1 x 1 map). */
export const globalMaxPool: Handler = (node, [x], ctx) => {
  const input = tensorIn(node, x, 0, ['map']);
  const [h, w] = input.node.shape as [number, number];
  return { kind: 'map', node: ctx.add(node, 'MaxPool2D', [input.node], { poolSize: [h, w], strides: [h, w], padding: 'valid', ceilMode: false }) };
};
