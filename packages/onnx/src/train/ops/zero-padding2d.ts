/** ZeroPadding2D: Pad forward, Slice (the unpadded window of dy) backward. */
import type { TrainOp } from './types.js';

export const zeroPadding2d: TrainOp<'ZeroPadding2D'> = {
  forward(node, [x], { b }) {
    const [[t, bottom], [l, r]] = node.attrs.padding;
    return { y: b.node('Pad', [x!, b.int64s('pads', [0, 0, t, l, 0, 0, bottom, r])], node.name) };
  },
  backward(node, dy, _fwd, _needs, { b, inputShapes }) {
    const [[t], [l]] = node.attrs.padding;
    const [h, w] = inputShapes[0] as [number, number, number];
    return { inputs: [b.node('Slice', [dy, b.int64s('starts', [t, l]), b.int64s('ends', [t + h, l + w]), b.int64s('axes', [2, 3])], `${node.name}/dx`)] };
  },
};
