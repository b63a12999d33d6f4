import type { ActivationFn } from '@convzoo/core';
import type { Emitter } from '../emitter.js';

/** The channel axis is 1 in NCHW for maps and features alike, so softmax is over dim 1. */
const FUNCTIONS: Readonly<Record<ActivationFn, (x: string) => string>> = {
  linear: (x) => x,
  relu: (x) => `F.relu(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  softmax: (x) => `F.softmax(${x}, dim=1)`,
  scaled_tanh: (x) => `1.7159 * torch.tanh(${x} * (2.0 / 3.0))`,
};

export const activation: Emitter<'Activation'> = (node) => ({ forward: ([x]) => FUNCTIONS[node.attrs.fn](x!) });
