/** Concatenate along channels (axis 1 here); the gradient is dy split back into the inputs' widths. */
import type { TrainOp } from './types.js';

export const concatenate: TrainOp<'Concatenate'> = {
  forward: (node, xs, { b }) => ({ y: b.node('Concat', xs, node.name, { axis: { int: 1 } }) }),
  backward(node, dy, { x }, _needs, { b, inputShapes }) {
    const widths = inputShapes.map((s) => s[s.length - 1]!);
    return { inputs: b.nodeN('Split', [dy, b.int64s('split', widths)], `${node.name}/dx`, { axis: { int: 1 } }, x.length) };
  },
};
