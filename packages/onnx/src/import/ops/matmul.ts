import { nodeError } from '../context.js';
import { denseValue } from './gemm.js';
import type { Handler } from './types.js';
import { constIn, tensorIn } from './values.js';

/**
 * MatMul (1, 9, 13) of [N, K] data by a constant [K, units] matrix: a Dense, taking the bias of
 * a following Add (tf2onnx writes Keras's Dense as MatMul + Add).
 */
export const matmul: Handler = (node, [x, bIn], ctx) => {
  const v = tensorIn(node, x, 0, ['vec', 'flat', 'pooled']);
  const b = constIn(node, bIn, 1, 'B');
  if (b.dims.length !== 2) throw nodeError(node, `only a 2-D constant B is supported, got dims [${b.dims.join(', ')}]`, 'UNSUPPORTED');
  const [k, units] = b.dims as [number, number];
  const src = b.floats();
  const bias = ctx.takeBias(node, units);
  return denseValue(node, v, ctx, k, units, (r, u) => src[r * units + u]!, bias?.bias, bias?.add);
};
