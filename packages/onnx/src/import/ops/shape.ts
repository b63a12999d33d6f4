import type { Handler } from './types.js';
import { onnxDims, tensorIn } from './values.js';

/** Shape (1, 13, 15 with start / end, 19, 21): the batch stays symbolic. */
export const shape: Handler = (node, [x], _ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const dims: (number | 'N')[] = ['N', ...onnxDims(v)];
  const start = a.int('start', 0);
  const end = a.has('end') ? a.int('end') : dims.length;
  return { kind: 'shape', values: dims.slice(start, end), scalar: false };
};
