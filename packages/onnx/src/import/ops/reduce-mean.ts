import { refuse } from '../context.js';
import type { Handler } from './types.js';
import { axisIn, intsIn, tensorIn } from './values.js';

/**
 * ReduceMean (1, 11 with negative axes, 13, 18 with axes as an input) over height and width:
 * global average pooling, as tf2onnx writes Keras's GlobalAveragePooling2D.
 */
export const reduceMean: Handler = (node, [x, axesIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc']);
  const given = ctx.opset >= 18 ? (axesIn === undefined ? [] : intsIn(node, axesIn, 1, 'axes')) : a.ints('axes', []);
  const axes = given.map((d) => (typeof d === 'number' ? axisIn(d, 4) : d)).sort().join();
  if (axes !== (v.kind === 'map' ? '2,3' : '1,2')) {
    const all = given.length === 0 && (ctx.opset < 18 || a.int('noop_with_empty_axes', 0) === 0);
    throw refuse(node, 'axes', all ? 'absent (all axes, the batch too)' : given, `convzoo reduces only height and width (global average pooling) of ${v.kind === 'map' ? 'NCHW' : 'NHWC'}`);
  }
  const keep = a.int('keepdims', 1) !== 0;
  if (keep && v.kind === 'map_nhwc') throw refuse(node, 'keepdims', 1, 'an [N, 1, 1, C] result is not a layout convzoo tracks (keepdims 0 gives [N, C])');
  const out = ctx.add(node, 'GlobalAvgPool2D', [v.node], {});
  return { kind: keep ? 'pooled' : 'vec', node: out };
};
