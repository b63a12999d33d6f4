import type { Handler } from './types.js';
import { tensorIn } from './values.js';

export const shape: Handler = (node, [x], _ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const [h, w, c] = v.node.shape as [number, number, number];
  const dims: (number | 'N')[] = {
    map: ['N', c, h, w], map_nhwc: ['N', h, w, c], vec: ['N', h], pooled: ['N', h, 1, 1], flat: ['N', v.node.shape[0]!],
  }[v.kind] as (number | 'N')[];
  const start = a.int('start', 0);
  const end = a.has('end') ? a.int('end') : dims.length;
  return { kind: 'shape', values: dims.slice(start, end), scalar: false };
};
