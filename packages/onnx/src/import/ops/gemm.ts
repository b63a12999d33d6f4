import { flattenPermutation } from '../../layout.js';
import type { OnnxNode } from '../../proto/decode.js';
import { nodeError, refuse, type ImportContext, type TensorValue } from '../context.js';
import type { Handler } from './types.js';
import { constIn, tensorIn } from './values.js';

/**
 * A Dense node computing x * W (+ bias) for the ONNX [k, units] matrix W (`at(r, u)` is W[r][u]),
 * named after `namedBy` (the node whose output it is). convzoo's kernel row r is ONNX row r, or
 * perm[r]'s source after an NCHW flatten.
 */
export function denseValue(node: OnnxNode, v: TensorValue, ctx: ImportContext, k: number, units: number, at: (r: number, u: number) => number, bias: Float32Array | undefined, namedBy = node): TensorValue {
  const perm = v.kind === 'flat' ? flattenPermutation(v.from) : undefined;
  const features = v.node.shape[v.node.shape.length - 1]!;
  if (features !== k) throw nodeError(node, `the weights have ${k} input rows but the input has ${features} features`);
  const kernel = new Float32Array(k * units);
  for (let r = 0; r < k; r++) {
    const row = perm ? perm[r]! : r;
    for (let u = 0; u < units; u++) kernel[row * units + u] = at(r, u);
  }
  const out = ctx.add(namedBy, 'Dense', [v.node], { units, useBias: bias !== undefined }, {
    kernel: { shape: [k, units], data: kernel },
    ...(bias ? { bias: { shape: [units], data: bias } } : {}),
  });
  return { kind: 'vec', node: out };
}

/**
 * Gemm 1, 6 (with `broadcast`), 7, 9, 11 (C optional), 13: alpha * x * B' + beta * C as a Dense.
 * A full [M, units] C folds into the bias when its rows agree (M is the batch).
 */
export const gemm: Handler = (node, [x, bIn, cIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['vec', 'flat', 'pooled']);
  if (a.int('transA', 0) !== 0) throw refuse(node, 'transA', a.int('transA'), 'A is the data, and transposing it would swap the batch and the features');
  const b = constIn(node, bIn, 1, 'B');
  if (b.dims.length !== 2) throw nodeError(node, `B must be 2-D, got dims [${b.dims.join(', ')}]`);
  const transB = a.int('transB', 0) !== 0;
  const [k, units] = (transB ? [b.dims[1], b.dims[0]] : b.dims) as [number, number];
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  const src = b.floats();
  let bias: Float32Array | undefined;
  if (cIn !== undefined) {
    const c = constIn(node, cIn, 2, 'C');
    const values = c.floats();
    const cols = c.dims.length === 0 ? 1 : c.dims[c.dims.length - 1]!;
    const rows = values.length / cols;
    if (c.dims.length > 2 || (cols !== units && cols !== 1)) throw nodeError(node, `C has dims [${c.dims.join(', ')}], which does not broadcast to [M, ${units}]`);
    const row = (m: number, u: number) => values[m * cols + (cols === 1 ? 0 : u)]!;
    for (let m = 1; m < rows; m++) {
      for (let u = 0; u < units; u++) if (row(m, u) !== row(0, u)) throw refuse(node, 'C', `[${c.dims.join(', ')}] with differing rows`, 'a per-sample bias does not fold into a Dense bias');
    }
    bias = Float32Array.from({ length: units }, (_, u) => beta * row(0, u));
  }
  return denseValue(node, v, ctx, k, units, (r, u) => alpha * src[transB ? u * k + r : r * units + u]!, bias);
};
