import type { Emit } from './types.js';

export const globalAvgPool2d: Emit<'GlobalAvgPool2D'> = (node, [x], { g }) => {
  // The pool carries the layer's name (an importer maps it back to one GlobalAvgPool2D).
  const pooled = g.node('GlobalAveragePool', [x!.name], `${node.name}/pool`, {}, node.name);
  return { name: g.node('Flatten', [pooled], node.name, { axis: { int: 1 } }, `${node.name}/flatten`) };
};
