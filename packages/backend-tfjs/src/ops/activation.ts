import * as tf from '@tensorflow/tfjs-core';
import type { ActivationFn, OpAttrs } from '@convzoo/core';
import type { OpKernel } from './types.js';
import { differentiable } from './grad.js';

// LeNet-5's squashing function A * tanh(S * x).
const A = 1.7159;
const S = 2 / 3;

type Attrs = OpAttrs['Activation'];

/** Each function and its derivative, written from its output y (or its input x) where that is cheapest. */
const FUNCTIONS: Record<ActivationFn, { f(x: tf.Tensor, a: Attrs): tf.Tensor; df(dy: tf.Tensor, y: tf.Tensor, x: tf.Tensor, a: Attrs): tf.Tensor }> = {
  linear: { f: (x) => tf.clone(x), df: (dy) => tf.clone(dy) },
  relu: { f: (x) => tf.relu(x), df: (dy, y) => tf.mul(dy, tf.step(y)) },
  tanh: { f: (x) => tf.tanh(x), df: (dy, y) => tf.mul(dy, tf.sub(1, tf.square(y))) },
  sigmoid: { f: (x) => tf.sigmoid(x), df: (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y))) },
  // dy/dx = A * S * (1 - tanh^2) = S * (A - y^2 / A)
  scaled_tanh: { f: (x) => tf.mul(tf.tanh(tf.mul(x, S)), A), df: (dy, y) => tf.mul(dy, tf.mul(tf.sub(A, tf.div(tf.square(y), A)), S)) },
  // dx = y * (dy - sum(dy * y)) along the class axis
  softmax: { f: (x) => tf.softmax(x), df: (dy, y) => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true))) },
  // slope 1 for x > 0, else alpha (PyTorch's rule at 0); from x, since alpha may be negative
  leaky_relu: {
    f: (x, a) => tf.leakyRelu(x, a.alpha!),
    df: (dy, _y, x, a) => tf.mul(dy, tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, a.alpha!))),
  },
  // the gradient passes where min <= x <= max, bounds included (PyTorch's clamp)
  clip: {
    f: (x, a) => tf.clipByValue(x, a.min ?? -Infinity, a.max ?? Infinity),
    df: (dy, _y, x, a) => tf.mul(dy, tf.cast(tf.logicalAnd(tf.greaterEqual(x, a.min ?? -Infinity), tf.lessEqual(x, a.max ?? Infinity)), 'float32')),
  },
};

export const activation: OpKernel<'Activation'> = {
  op: 'Activation',
  run(node, [x]) {
    const fn = FUNCTIONS[node.attrs.fn];
    return differentiable(
      [x!],
      ([xi]) => {
        const y = fn.f(xi!, node.attrs);
        return { value: y, saved: [y, xi!] };
      },
      (dy, [y, xi]) => [fn.df(dy, y!, xi!, node.attrs)],
    );
  },
};
