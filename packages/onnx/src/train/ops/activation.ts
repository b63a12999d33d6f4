/** Activations; each derivative is written from the output y where that is cheapest. */
import type { ActivationFn, OpAttrs } from '@convzoo/core';
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import type { TrainOp } from './types.js';

// LeNet-5's squashing function A * tanh(S * x).
const A = 1.7159;
const S = 2 / 3;

type Attrs = OpAttrs['Activation'];

/** `s(v)`: the constant v at the rank of the values (see OnnxGraphBuilder.scalar). */
type Scalar = (value: number) => string;

interface Fn {
  f(b: OnnxGraphBuilder, x: string, name: string, a: Attrs, s: Scalar): string;
  /** From the output y, or the input x where y does not tell the slope. */
  df(b: OnnxGraphBuilder, dy: string, y: string, name: string, x: string, a: Attrs, s: Scalar): string;
}

const asFloat = (b: OnnxGraphBuilder, bool: string, name: string) => b.node('Cast', [bool], name, { to: { int: 1 } });

const FUNCTIONS: Record<Exclude<ActivationFn, 'linear'>, Fn> = {
  relu: {
    f: (b, x, name) => b.node('Relu', [x], name),
    df: (b, dy, y, name, _x, _a, s) => b.node('Mul', [dy, asFloat(b, b.node('Greater', [y, s(0)], `${name}/active`), `${name}/step`)], name),
  },
  tanh: {
    f: (b, x, name) => b.node('Tanh', [x], name),
    df: (b, dy, y, name, _x, _a, s) => b.node('Mul', [dy, b.node('Sub', [s(1), b.node('Mul', [y, y], `${name}/y2`)], `${name}/slope`)], name),
  },
  sigmoid: {
    f: (b, x, name) => b.node('Sigmoid', [x], name),
    df: (b, dy, y, name, _x, _a, s) => b.node('Mul', [dy, b.node('Mul', [y, b.node('Sub', [s(1), y], `${name}/1-y`)], `${name}/slope`)], name),
  },
  scaled_tanh: {
    f: (b, x, name, _a, s) => b.node('Mul', [b.node('Tanh', [b.node('Mul', [x, s(S)], `${name}/inner`)], `${name}/tanh`), s(A)], name),
    // dy/dx = A * S * (1 - tanh^2) = S * A - (S / A) * y^2
    df: (b, dy, y, name, _x, _a, s) => {
      const y2 = b.node('Mul', [y, y], `${name}/y2`);
      const slope = b.node('Sub', [s(S * A), b.node('Mul', [y2, s(S / A)], `${name}/y2_scaled`)], `${name}/slope`);
      return b.node('Mul', [dy, slope], name);
    },
  },
  // slope 1 for x > 0, else alpha (PyTorch's rule at 0); from x, since alpha may be negative
  leaky_relu: {
    f: (b, x, name, a) => b.node('LeakyRelu', [x], name, { alpha: { float: a.alpha! } }),
    df: (b, dy, _y, name, x, a, s) => {
      const slope = b.node('Where', [b.node('Greater', [x, s(0)], `${name}/positive`), s(1), s(a.alpha!)], `${name}/slope`);
      return b.node('Mul', [dy, slope], name);
    },
  },
  // the gradient passes where min <= x <= max, bounds included (PyTorch's clamp)
  clip: {
    // Clip's bounds are rank 0 by the spec
    f: (b, x, name, a) => b.node('Clip', [x, a.min === undefined ? '' : b.scalar(a.min), a.max === undefined ? '' : b.scalar(a.max)], name),
    df: (b, dy, _y, name, x, a, s) => {
      const within = [
        ...(a.min === undefined ? [] : [b.node('GreaterOrEqual', [x, s(a.min)], `${name}/above_min`)]),
        ...(a.max === undefined ? [] : [b.node('LessOrEqual', [x, s(a.max)], `${name}/below_max`)]),
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

/** Constants at the rank of a node's values: its per-sample rank plus the batch axis. */
const scalarAt = (b: OnnxGraphBuilder, sampleRank: number): Scalar => (v) => b.scalar(v, sampleRank + 1);

export const activation: TrainOp<'Activation'> = {
  forward(node, [x], { b, outputShape }) {
    const fn = node.attrs.fn;
    return { y: fn === 'linear' ? x! : FUNCTIONS[fn].f(b, x!, node.name, node.attrs, scalarAt(b, outputShape.length)) };
  },
  backward(node, dy, { x: [x], y }, _needs, { b, outputShape }) {
    const fn = node.attrs.fn;
    return { inputs: [fn === 'linear' ? dy : FUNCTIONS[fn].df(b, dy, y, `${node.name}/dx`, x!, node.attrs, scalarAt(b, outputShape.length))] };
  },
};
