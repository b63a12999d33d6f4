/**
 * Inverted dropout in training: y = x * mask, the mask (0 or 1 / (1 - rate), drawn per step by
 * the trainer) fed as a graph input; identity at inference.
 */
import type { TrainOp } from './types.js';

export const dropout: TrainOp<'Dropout'> = {
  forward(node, [x], { b, training, mask }) {
    if (!training || node.attrs.rate === 0) return { y: x! };
    const m = mask();
    return { y: b.node('Mul', [x!, m], node.name), saved: { mask: m } };
  },
  backward(node, dy, { saved }, _needs, { b }) {
    const m = saved['mask'];
    return { inputs: [m === undefined ? dy : b.node('Mul', [dy, m], `${node.name}/dx`)] };
  },
};
