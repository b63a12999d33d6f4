import { unitDims } from '../../graph-builder.js';
import type { Emit, Value } from './types.js';

/** Elementwise ops keep a pending flatten permutation; so does softmax over a whole vector. */
export const activation: Emit<'Activation'> = (node, [x], { g, model }) => {
  const keep = (name: string): Value => (x!.flatFrom ? { name, flatFrom: x!.flatFrom } : { name });
  switch (node.attrs.fn) {
    case 'linear':
      return x!;
    case 'relu':
      return keep(g.node('Relu', [x!.name], node.name));
    case 'tanh':
      return keep(g.node('Tanh', [x!.name], node.name));
    case 'sigmoid':
      return keep(g.node('Sigmoid', [x!.name], node.name));
    case 'softmax':
      // axis 1: the channels of an NCHW map, the features of an [N, F] vector.
      return keep(g.node('Softmax', [x!.name], node.name, { axis: { int: 1 } }));
    case 'leaky_relu':
      return keep(g.node('LeakyRelu', [x!.name], node.name, { alpha: { float: node.attrs.alpha! } }));
    case 'clip': {
      // Clip's bounds are optional inputs from opset 11; '' leaves one unbounded.
      const bound = (v: number | undefined) => (v === undefined ? '' : g.scalar(v));
      return keep(g.node('Clip', [x!.name, bound(node.attrs.min), bound(node.attrs.max)], node.name));
    }
    case 'scaled_tanh': {
      // 1.7159 * tanh(2x / 3) (LeCun et al. 1998, Appendix A) as Mul, Tanh, Mul; the factors at
      // the value's rank (see OnnxGraphBuilder.scalar: LeNet-5's C5 map is [N, 120, 1, 1]).
      const ones = unitDims(model.shapeOf(node.name).length + 1);
      const inner = g.node('Mul', [x!.name, g.floats('scaled_tanh/inner', [2 / 3], ones)], `${node.name}/scale_in`);
      const t = g.node('Tanh', [inner], `${node.name}/tanh`);
      return keep(g.node('Mul', [t, g.floats('scaled_tanh/outer', [1.7159], ones)], node.name));
    }
  }
};
