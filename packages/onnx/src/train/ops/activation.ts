/** Activations; each derivative is written from the output y where that is cheapest. */
import type { ActivationFn } from '@convzoo/core';
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import type { TrainOp } from './types.js';

// LeNet-5's squashing function A * tanh(S * x).
const A = 1.7159;
const S = 2 / 3;

interface Fn {
  f(b: OnnxGraphBuilder, x: string, name: string): string;
  df(b: OnnxGraphBuilder, dy: string, y: string, name: string): string;
}

const FUNCTIONS: Record<Exclude<ActivationFn, 'linear'>, Fn> = {
  relu: {
    f: (b, x, name) => b.node('Relu', [x], name),
    df: (b, dy, y, name) => b.node('Mul', [dy, b.node('Cast', [b.node('Greater', [y, b.scalar(0)], `${name}/active`)], `${name}/step`, { to: { int: 1 } })], name),
  },
  tanh: {
    f: (b, x, name) => b.node('Tanh', [x], name),
    df: (b, dy, y, name) => b.node('Mul', [dy, b.node('Sub', [b.scalar(1), b.node('Mul', [y, y], `${name}/y2`)], `${name}/slope`)], name),
  },
  sigmoid: {
    f: (b, x, name) => b.node('Sigmoid', [x], name),
    df: (b, dy, y, name) => b.node('Mul', [dy, b.node('Mul', [y, b.node('Sub', [b.scalar(1), y], `${name}/1-y`)], `${name}/slope`)], name),
  },
  scaled_tanh: {
    f: (b, x, name) => b.node('Mul', [b.node('Tanh', [b.node('Mul', [x, b.scalar(S)], `${name}/inner`)], `${name}/tanh`), b.scalar(A)], name),
    // dy/dx = A * S * (1 - tanh^2) = S * A - (S / A) * y^2
    df: (b, dy, y, name) => {
      const y2 = b.node('Mul', [y, y], `${name}/y2`);
      const slope = b.node('Sub', [b.scalar(S * A), b.node('Mul', [y2, b.scalar(S / A)], `${name}/y2_scaled`)], `${name}/slope`);
      return b.node('Mul', [dy, slope], name);
    },
  },
  // Over axis 1: the channels of a map, the features of a vector. dx = y * (dy - sum(dy * y)).
  softmax: {
    f: (b, x, name) => b.node('Softmax', [x], name, { axis: { int: 1 } }),
    df: (b, dy, y, name) => {
      const dot = b.node('ReduceSum', [b.node('Mul', [dy, y], `${name}/dy_y`), b.int64s('axes', [1])], `${name}/dot`, { keepdims: { int: 1 } });
      return b.node('Mul', [y, b.node('Sub', [dy, dot], `${name}/centred`)], name);
    },
  },
};

export const activation: TrainOp<'Activation'> = {
  forward(node, [x], { b }) {
    const fn = node.attrs.fn;
    return { y: fn === 'linear' ? x! : FUNCTIONS[fn].f(b, x!, node.name) };
  },
  backward(node, dy, { y }, _needs, { b }) {
    const fn = node.attrs.fn;
    return { inputs: [fn === 'linear' ? dy : FUNCTIONS[fn].df(b, dy, y, `${node.name}/dx`)] };
  },
};
