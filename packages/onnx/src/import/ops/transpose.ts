import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { KIND_WORDS, tensorIn } from './values.js';

/** The NHWC <-> NCHW transposes at the edges of a convzoo export. */
export const transpose: Handler = (node, [x], _ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc']);
  const perm = a.ints('perm').join();
  if (v.kind === 'map_nhwc' && perm === '0,3,1,2') return { kind: 'map', node: v.node };
  if (v.kind === 'map' && perm === '0,2,3,1') return { kind: 'map_nhwc', node: v.node };
  throw nodeError(node, `Transpose ${perm} of ${KIND_WORDS[v.kind]} is not supported (only NCHW <-> NHWC)`, 'UNSUPPORTED');
};
