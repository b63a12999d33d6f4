import { refuse } from '../context.js';
import { flattenValue } from './flatten.js';
import type { Handler } from './types.js';
import { axisIn, intsIn, onnxDims, tensorIn } from './values.js';

/**
 * Squeeze (axes an attribute in 1 and 11, an input from 13) of the unit height and width of a
 * pooled map: [N, C, 1, 1] or [N, 1, 1, C] -> [N, C].
 */
export const squeeze: Handler = (node, [x, axesIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled']);
  const given = ctx.opset >= 13 ? (axesIn === undefined ? undefined : intsIn(node, axesIn, 1, 'axes')) : a.has('axes') ? a.ints('axes') : undefined;
  // Without axes every size-1 axis goes, the batch too when it is 1: the rank would depend on the batch.
  if (given === undefined) throw refuse(node, 'axes', 'absent', 'the result\'s rank would depend on the batch size; name the axes');
  const axes = given.map((d) => (typeof d === 'number' ? axisIn(d, 4) : d)).sort().join();
  const dims = onnxDims(v);
  const spatial = v.kind === 'map_nhwc' ? '1,2' : '2,3';
  if (axes !== spatial || dims[spatial === '1,2' ? 0 : 1] !== 1 || dims[spatial === '1,2' ? 1 : 2] !== 1) {
    throw refuse(node, 'axes', given, `convzoo squeezes only the unit height and width of [N, ${dims.join(', ')}]`);
  }
  return flattenValue(node, v, ctx);
};
