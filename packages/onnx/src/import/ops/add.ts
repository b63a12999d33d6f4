import type { Handler } from './types.js';
import { relabel, sameKind, tensorIn } from './values.js';

/** Add and Sum; an Add whose constant a MatMul took as its bias passes the MatMul through. */
export const add: Handler = (node, inputs, ctx) => {
  if (inputs.length === 1) return tensorIn(node, inputs[0], 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  if (ctx.isAbsorbed(node)) return tensorIn(node, inputs.find((v) => v?.kind !== 'const'), 0, ['vec']);
  const vs = sameKind(node, inputs);
  return relabel(vs[0]!, ctx.add(node, 'Add', vs.map((v) => v.node), {}));
};
