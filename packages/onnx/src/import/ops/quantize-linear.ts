/**
 * QuantizeLinear (10, 13: per-axis, 19, 21) on an activation, as QDQ files write it before a
 * DequantizeLinear. convzoo has no fake-quantization op, so the pair is dropped: the imported
 * model computes that value in float32, without the rounding to the 8-bit grid.
 */
import { nodeError, refuse } from '../context.js';
import type { Handler } from './types.js';
import { tensorIn } from './values.js';

export const quantizeLinear: Handler = (node, [x], _ctx, a) => {
  if (a.int('block_size', 0) !== 0) throw refuse(node, 'block_size', a.int('block_size'), 'blocked quantization is not read');
  if (x?.kind === 'const') throw nodeError(node, 'QuantizeLinear of a constant is not supported; convzoo reads quantized weights as integer initializers under a DequantizeLinear', 'UNSUPPORTED');
  return { kind: 'quantized', of: tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']) };
};
