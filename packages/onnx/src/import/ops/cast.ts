/**
 * Cast (1: `to` as a type name; 6+: a DataType). convzoo computes in float32, so only a Cast to
 * FLOAT is read: of a float16 (or other) initializer, as fp16 files store weights, it becomes a
 * float32 constant; of a float tensor, it changes nothing.
 */
import { DataType } from '../../proto/proto.js';
import { refuse } from '../context.js';
import type { Handler } from './types.js';
import { floatConst, tensorIn } from './values.js';

const FLOATS: readonly number[] = [DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE];

export const cast: Handler = (node, [x], _ctx, a) => {
  const raw = node.attrs.get('to');
  const to = typeof raw === 'string' ? raw : DataType[a.int('to')] ?? String(raw);
  if (to !== 'FLOAT') throw refuse(node, 'to', to, 'convzoo computes in float32; only a Cast to FLOAT is imported');
  if (x?.kind === 'const') {
    const t = x.tensor;
    return floatConst(t.name, t.dims, FLOATS.includes(t.dataType) ? t.floats() : Float32Array.from(t.ints()));
  }
  return tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
};
