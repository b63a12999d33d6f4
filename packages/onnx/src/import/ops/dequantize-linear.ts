/**
 * DequantizeLinear (10: per tensor; 13: per axis, `axis` default 1; 19; 21: block_size).
 * Of an integer initializer (a QDQ file's int8 weight, int32 bias): the float32 constant
 * (x - zero_point) * scale, per tensor or along `axis`. Of a QuantizeLinear output: the pair is
 * dropped (see quantize-linear.ts).
 */
import { nodeError, refuse } from '../context.js';
import type { Handler } from './types.js';
import { axisIn, constIn, floatConst, KIND_WORDS } from './values.js';

export const dequantizeLinear: Handler = (node, [x, scale, zeroPoint], _ctx, a) => {
  if (a.int('block_size', 0) !== 0) throw refuse(node, 'block_size', a.int('block_size'), 'blocked quantization is not read');
  if (x?.kind === 'quantized') return x.of;
  if (x?.kind !== 'const') {
    throw nodeError(node, `input 0 ("${node.inputs[0]}") is ${x ? KIND_WORDS[x.kind] : 'missing'}; convzoo imports DequantizeLinear of an integer initializer or of a QuantizeLinear output`, 'UNSUPPORTED');
  }
  const q = x.tensor.ints();
  const dims = x.tensor.dims;
  const s = constIn(node, scale, 1, 'x_scale').floats();
  const z = zeroPoint === undefined ? new Array<number>(s.length).fill(0) : constIn(node, zeroPoint, 2, 'x_zero_point').ints();
  if (z.length !== s.length) throw nodeError(node, `x_zero_point holds ${z.length} values, x_scale ${s.length}`);
  const values = new Float32Array(q.length);
  if (s.length === 1) {
    for (let i = 0; i < q.length; i++) values[i] = (q[i]! - z[0]!) * s[0]!;
  } else {
    const axis = axisIn(a.int('axis', 1), dims.length);
    if (axis < 0 || axis >= dims.length || dims[axis] !== s.length) {
      throw refuse(node, 'axis', a.int('axis', 1), `x_scale holds ${s.length} values, which must match that axis of dims [${dims.join(', ')}]`);
    }
    const inner = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
    for (let i = 0; i < q.length; i++) {
      const c = Math.floor(i / inner) % s.length;
      values[i] = (q[i]! - z[c]!) * s[c]!;
    }
  }
  return floatConst(x.tensor.name, dims, values);
};
