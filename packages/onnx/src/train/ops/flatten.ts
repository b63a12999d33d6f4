/**
 * Flatten in convzoo's channels-last order (Dense kernels after it keep their convzoo rows):
 * NCHW -> NHWC -> [N, H*W*C]; the gradient takes the way back.
 */
import type { TrainOp } from './types.js';

export const flatten: TrainOp<'Flatten'> = {
  forward(node, [x], { b, inputShapes }) {
    if (inputShapes[0]!.length !== 3) return { y: x! };
    const nhwc = b.node('Transpose', [x!], `${node.name}/nhwc`, { perm: { ints: [0, 2, 3, 1] } });
    return { y: b.node('Flatten', [nhwc], node.name, { axis: { int: 1 } }) };
  },
  backward(node, dy, _fwd, _needs, { b, inputShapes }) {
    const shape = inputShapes[0]!;
    if (shape.length !== 3) return { inputs: [dy] };
    const nhwc = b.node('Reshape', [dy, b.int64s('shape', [-1, ...shape])], `${node.name}/dx_nhwc`);
    return { inputs: [b.node('Transpose', [nhwc], `${node.name}/dx`, { perm: { ints: [0, 3, 1, 2] } })] };
  },
};
