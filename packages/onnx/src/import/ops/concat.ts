import { nodeError, type TensorValue } from '../context.js';
import type { Handler } from './types.js';
import { intsIn, KIND_WORDS, sameKind } from './values.js';

export const concat: Handler = (node, inputs, ctx, a) => {
  // Concat 1's axis defaults to 1; from 4 it is required.
  const axis = a.int('axis', ctx.opset < 4 ? 1 : undefined);
  if (inputs.every((v) => v?.kind === 'shape' || v?.kind === 'const')) {
    return { kind: 'shape', values: inputs.flatMap((v, i) => intsIn(node, v, i, 'shape part')), scalar: false };
  }
  const vs = sameKind(node, inputs);
  const kind = vs[0]!.kind;
  const rank = kind === 'vec' || kind === 'flat' ? 2 : 4;
  const channelAxis = kind === 'map_nhwc' ? 3 : 1;
  if ((axis < 0 ? axis + rank : axis) !== channelAxis || kind === 'flat') {
    throw nodeError(node, `Concat along axis ${axis} of ${KIND_WORDS[kind]} is not supported (only channels / features)`, 'UNSUPPORTED');
  }
  return { kind, node: ctx.add(node, 'Concatenate', vs.map((v) => v.node), {}) } as TensorValue;
};
