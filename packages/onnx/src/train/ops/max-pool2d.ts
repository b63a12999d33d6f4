/**
 * MaxPool2D. Training asks MaxPool for the flat index of each window's maximum (ONNX counts
 * them over the whole unpadded NCHW tensor); the gradient scatter-adds dy there (windows
 * overlap when the stride is smaller than the pool).
 */
import { poolDilation } from '@convzoo/core';
import type { TrainOp } from './types.js';
import { geometry, windowAttrs } from './window.js';

export const maxPool2d: TrainOp<'MaxPool2D'> = {
  forward(node, [x], { b, training, inputShapes }) {
    const a = node.attrs;
    const attrs = windowAttrs(geometry(inputShapes[0]!, a.poolSize, a.strides, poolDilation(a), a.padding, a.ceilMode), false);
    if (!training) return { y: b.node('MaxPool', [x!], node.name, attrs) };
    const [y, indices] = b.nodeN('MaxPool', [x!], node.name, attrs, 2);
    return { y: y!, saved: { indices: indices! } };
  },
  backward(node, dy, { x: [x], saved }, _needs, { b }) {
    const n = node.name;
    const flat = b.int64s('shape', [-1]);
    const size = b.node('Reshape', [b.node('Size', [x!], `${n}/size`), b.int64s('shape', [1])], `${n}/size_1d`);
    const zeros = b.node('ConstantOfShape', [size], `${n}/zeros`);
    const scattered = b.node('ScatterElements', [
      zeros,
      b.node('Reshape', [saved['indices']!, flat], `${n}/indices_flat`),
      b.node('Reshape', [dy, flat], `${n}/dy_flat`),
    ], `${n}/dx_flat`, { axis: { int: 0 }, reduction: { str: 'add' } });
    return { inputs: [b.node('Reshape', [scattered, b.node('Shape', [x!], `${n}/shape`)], `${n}/dx`)] };
  },
};
