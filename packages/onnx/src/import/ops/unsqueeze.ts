import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { intsIn } from './values.js';

export const unsqueeze: Handler = (node, [x, axesIn], ctx, a) => {
  if (x?.kind !== 'shape' && x?.kind !== 'const') throw nodeError(node, 'Unsqueeze is supported only on shape computations', 'UNSUPPORTED');
  const axes = ctx.opset >= 13 ? intsIn(node, axesIn, 1, 'axes') : a.ints('axes');
  const scalar = x.kind === 'shape' ? x.scalar : x.tensor.dims.length === 0;
  if (!scalar || axes.length !== 1 || axes[0] !== 0) throw nodeError(node, 'Unsqueeze is supported only from a scalar to a 1-D vector', 'UNSUPPORTED');
  return { kind: 'shape', values: intsIn(node, x, 0, 'data'), scalar: false };
};
