import { flattenOrdersAgree } from '../../layout.js';
import type { OnnxNode } from '../../proto/decode.js';
import { refuse, type ImportContext, type Imported, type TensorValue } from '../context.js';
import type { Handler } from './types.js';
import { axisIn, onnxDims, tensorIn } from './values.js';

/** [N, ...] -> [N, F]: a convzoo Flatten, remembering when ONNX's element order differs. */
export function flattenValue(node: OnnxNode, v: TensorValue, ctx: ImportContext): Imported {
  if (v.kind === 'vec' || v.kind === 'flat') return v;
  if (v.kind === 'pooled') return { kind: 'vec', node: v.node };
  const out = ctx.add(node, 'Flatten', [v.node], {});
  const [h, w, c] = v.node.shape as [number, number, number];
  if (v.kind === 'map_nhwc' || flattenOrdersAgree([h, w, c])) return { kind: 'vec', node: out };
  return { kind: 'flat', node: out, from: [h, w, c] };
}

/**
 * Flatten (1, 9, 11 with negative axes, 13, 21) to [prod(dims[:axis]), prod(dims[axis:])]: a
 * [N, F] flatten whenever every axis between the batch and `axis` has size 1.
 */
export const flatten: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled', 'vec', 'flat']);
  const dims = onnxDims(v);
  const axis = a.int('axis', 1);
  const at = axisIn(axis, dims.length + 1);
  if (at < 1 || at > dims.length + 1 || dims.slice(0, at - 1).some((d) => d !== 1)) {
    throw refuse(node, 'axis', axis, `on [N, ${dims.join(', ')}] the result is not [N, features]`);
  }
  return flattenValue(node, v, ctx);
};
