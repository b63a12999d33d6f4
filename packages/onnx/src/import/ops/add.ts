import type { Handler } from './types.js';
import { relabel, sameKind, tensorIn } from './values.js';

/** Add and Sum. */
export const add: Handler = (node, inputs, ctx) => {
  if (inputs.length === 1) return tensorIn(node, inputs[0], 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const vs = sameKind(node, inputs);
  return relabel(vs[0]!, ctx.add(node, 'Add', vs.map((v) => v.node), {}));
};
