/** GlobalAvgPool2D: [N, C, H, W] -> [N, C]; each cell receives dy / (H * W). */
import type { TrainOp } from './types.js';

export const globalAvgPool2d: TrainOp<'GlobalAvgPool2D'> = {
  forward: (node, [x], { b }) => ({ y: b.node('ReduceMean', [x!], node.name, { axes: { ints: [2, 3] }, keepdims: { int: 0 } }) }),
  backward(node, dy, { x: [x] }, _needs, { b, inputShapes }) {
    const [h, w, c] = inputShapes[0] as [number, number, number];
    const n = node.name;
    const cell = b.node('Reshape', [b.node('Mul', [dy, b.scalar(1 / (h * w))], `${n}/dy_mean`), b.int64s('shape', [-1, c, 1, 1])], `${n}/dy_cell`);
    return { inputs: [b.node('Expand', [cell, b.node('Shape', [x!], `${n}/shape`)], `${n}/dx`)] };
  },
};
