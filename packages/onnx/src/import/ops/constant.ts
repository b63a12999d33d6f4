import { DataType } from '../../proto/proto.js';
import { nodeError } from '../context.js';
import type { Handler } from './types.js';

export const constant: Handler = (node, _inputs, _ctx, a) => {
  const t = a.tensor('value');
  if (t !== undefined) return { kind: 'const', tensor: t };
  for (const [name, isInt] of [['value_int', true], ['value_ints', true], ['value_float', false], ['value_floats', false]] as const) {
    if (!a.has(name)) continue;
    const raw = name.endsWith('s') ? (isInt ? a.ints(name) : (node.attrs.get(name) as readonly number[])) : [isInt ? a.int(name) : a.float(name)];
    const dims = name.endsWith('s') ? [raw.length] : [];
    return { kind: 'const', tensor: { name: node.outputs[0] ?? '', dataType: isInt ? DataType.INT64 : DataType.FLOAT, dims, floats: () => Float32Array.from(raw), ints: () => [...raw] } };
  }
  throw nodeError(node, 'Constant without a supported value (value, value_int(s), value_float(s))', 'UNSUPPORTED');
};
