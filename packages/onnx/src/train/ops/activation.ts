/** Activations; each derivative is written from the output y where that is cheapest. */
import type { ActivationFn, OpAttrs } from '@convzoo/core';
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import type { TrainOp } from './types.js';

// LeNet-5's squashing function A * tanh(S * x).
const A = 1.7159;
const S = 2 / 3;

type Attrs = OpAttrs['Activation'];

interface Fn {
  f(b: OnnxGraphBuilder, x: string, name: string, a: Attrs): string;
  /** From the output y, or the input x where y does not tell the slope. */
  df(b: OnnxGraphBuilder, dy: string, y: string, name: string, x: string, a: Attrs): string;
}

const asFloat = (b: OnnxGraphBuilder, bool: string, name: string) => b.node('Cast', [bool], name, { to: { int: 1 } });

const FUNCTIONS: Record<Exclude<ActivationFn, 'linear'>, Fn> = {
  relu: {
    f: (b, x, name) => b.node('Relu', [x], name),
    df: (b, dy, y, name) => b.node('Mul', [dy, asFloat(b, b.node('Greater', [y, b.scalar(0)], `${name}/active`), `${name}/step`)], name),
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
  // slope 1 for x > 0, else alpha (PyTorch's rule at 0); from x, since alpha may be negative
  leaky_relu: {
    f: (b, x, name, a) => b.node('LeakyRelu', [x], name, { alpha: { float: a.alpha! } }),
    df: (b, dy, _y, name, x, a) => {
      const slope = b.node('Where', [b.node('Greater', [x, b.scalar(0)], `${name}/positive`), b.scalar(1), b.scalar(a.alpha!)], `${name}/slope`);
      return b.node('Mul', [dy, slope], name);
    },
  },
  // the gradient passes where min <= x <= max, bounds included (PyTorch's clamp)
  clip: {
    f: (b, x, name, a) => b.node('Clip', [x, a.min === undefined ? '' : b.scalar(a.min), a.max === undefined ? '' : b.scalar(a.max)], name),
    df: (b, dy, _y, name, x, a) => {
      const within = [
        ...(a.min === undefined ? [] : [b.node('GreaterOrEqual', [x, b.scalar(a.min)], `${name}/above_min`)]),
        ...(a.max === undefined ? [] : [b.node('LessOrEqual', [x, b.scalar(a.max)], `${name}/below_max`)]),
      ];
      const mask = within.length === 2 ? b.node('And', within, `${name}/within`) : within[0]!;
      return b.node('Mul', [dy, asFloat(b, mask, `${name}/pass`)], name);
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
    return { y: fn === 'linear' ? x! : FUNCTIONS[fn].f(b, x!, node.name, node.attrs) };
  },
  backward(node, dy, { x: [x], y }, _needs, { b }) {
    const fn = node.attrs.fn;
    return { inputs: [fn === 'linear' ? dy : FUNCTIONS[fn].df(b, dy, y, `${node.name}/dx`, x!, node.attrs)] };
  },
};
