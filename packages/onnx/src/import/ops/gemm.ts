import { flattenPermutation } from '../../layout.js';
import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { constIn, tensorIn } from './values.js';

export const gemm: Handler = (node, [x, bIn, cIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['vec', 'flat', 'pooled']);
  if (a.int('transA', 0) !== 0) throw nodeError(node, 'transA 1 is not supported', 'UNSUPPORTED');
  const b = constIn(node, bIn, 1, 'B');
  if (b.dims.length !== 2) throw nodeError(node, `B must be 2-D, got dims [${b.dims.join(', ')}]`);
  const transB = a.int('transB', 0) === 1;
  const [k, units] = (transB ? [b.dims[1], b.dims[0]] : b.dims) as [number, number];
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  const src = b.floats();
  // convzoo kernel [in, out]; row r of the input is ONNX row r, or perm[r]'s source after an NCHW flatten.
  const kernel = new Float32Array(k * units);
  const perm = v.kind === 'flat' ? flattenPermutation(v.from) : undefined;
  if (perm && perm.length !== k) throw nodeError(node, `B has ${k} input rows but the flattened input has ${perm.length} features`);
  for (let r = 0; r < k; r++) {
    const row = perm ? perm[r]! : r;
    for (let u = 0; u < units; u++) kernel[row * units + u] = alpha * src[transB ? u * k + r : r * units + u]!;
  }
  let bias: Float32Array | undefined;
  if (cIn !== undefined) {
    const c = constIn(node, cIn, 2, 'C').floats();
    if (c.length !== units && c.length !== 1) throw nodeError(node, `C has ${c.length} values, expected ${units} (or 1, broadcast)`, 'UNSUPPORTED');
    bias = Float32Array.from({ length: units }, (_, u) => beta * c[c.length === 1 ? 0 : u]!);
  }
  const out = ctx.add(node, 'Dense', [v.node], { units, useBias: bias !== undefined }, {
    kernel: { shape: [k, units], data: kernel },
    ...(bias ? { bias: { shape: [units], data: bias } } : {}),
  });
  return { kind: 'vec', node: out };
};
