import type { ActivationFn, OpAttrs } from '@convzoo/core';
import type { Emitter } from '../emitter.js';
import { pyFloat } from '../python.js';

/** torch's own function for each bounded form: relu6 and hardtanh for both bounds, clamp for one. */
function clip(x: string, { min, max }: OpAttrs['Activation']): string {
  if (min === 0 && max === 6) return `F.relu6(${x})`;
  if (min !== undefined && max !== undefined) return `F.hardtanh(${x}, ${pyFloat(min)}, ${pyFloat(max)})`;
  return `torch.clamp(${x}, ${min !== undefined ? `min=${pyFloat(min)}` : `max=${pyFloat(max!)}`})`;
}

/** The channel axis is 1 in NCHW for maps and features alike, so softmax is over dim 1. */
const FUNCTIONS: Readonly<Record<ActivationFn, (x: string, a: OpAttrs['Activation']) => string>> = {
  linear: (x) => x,
  relu: (x) => `F.relu(${x})`,
  tanh: (x) => `torch.tanh(${x})`,
  sigmoid: (x) => `torch.sigmoid(${x})`,
  softmax: (x) => `F.softmax(${x}, dim=1)`,
  scaled_tanh: (x) => `1.7159 * torch.tanh(${x} * (2.0 / 3.0))`,
  leaky_relu: (x, a) => `F.leaky_relu(${x}, ${pyFloat(a.alpha!)})`,
  clip,
};

export const activation: Emitter<'Activation'> = (node) => ({ forward: ([x]) => FUNCTIONS[node.attrs.fn](x!, node.attrs) });
