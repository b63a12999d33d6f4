import { flattenPermutation } from '../../layout.js';
import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { constIn, intsIn } from './values.js';

/** Gather on shape computations, and the gather that restores channels-last order after a flatten. */
export const gather: Handler = (node, [data, indices], _ctx, a) => {
  const axis = a.int('axis', 0);
  const idx = constIn(node, indices, 1, 'indices');
  if (data?.kind === 'flat' && axis === 1) {
    const perm = flattenPermutation(data.from);
    const want = new Int32Array(perm.length);
    perm.forEach((coreRow, onnxRow) => (want[coreRow] = onnxRow));
    const got = idx.ints();
    if (got.length === want.length && got.every((v, i) => v === want[i])) return { kind: 'vec', node: data.node };
  }
  if (data?.kind !== 'shape' && data?.kind !== 'const') {
    throw nodeError(node, 'Gather is supported only on shape computations and to restore channels-last order after a flatten', 'UNSUPPORTED');
  }
  if (axis !== 0) throw nodeError(node, 'Gather on a shape computation is supported only along axis 0', 'UNSUPPORTED');
  const values = intsIn(node, data, 0, 'data');
  const picked = idx.ints().map((i) => values[i < 0 ? i + values.length : i]);
  if (picked.some((p) => p === undefined)) throw nodeError(node, `indices [${idx.ints().join(', ')}] out of range for ${values.length} values`);
  return { kind: 'shape', values: picked as (number | 'N')[], scalar: idx.dims.length === 0 };
};
