/** Add: every input receives dy. */
import type { TrainOp } from './types.js';

export const add: TrainOp<'Add'> = {
  forward: (node, xs, { b }) => ({ y: b.node(xs.length === 2 ? 'Add' : 'Sum', xs, node.name) }),
  backward: (_node, dy, { x }) => ({ inputs: x.map(() => dy) }),
};
