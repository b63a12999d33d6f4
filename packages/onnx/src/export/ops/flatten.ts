import { flattenOrdersAgree } from '../../layout.js';
import type { Emit } from './types.js';

export const flatten: Emit<'Flatten'> = (node, [x], { model, g }) => {
  const shape = model.shapeOf(node.inputs[0]!);
  if (shape.length !== 3) return x!; // already [N, F]
  const map = shape as [number, number, number];
  const name = g.node('Flatten', [x!.name], node.name, { axis: { int: 1 } });
  return flattenOrdersAgree(map) ? { name } : { name, flatFrom: map };
};
