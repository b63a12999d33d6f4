import { flattenOrdersAgree } from '../../layout.js';
import type { OnnxNode } from '../../proto/decode.js';
import { nodeError, type ImportContext, type Imported, type TensorValue } from '../context.js';
import type { Handler } from './types.js';
import { tensorIn } from './values.js';

/** [N, ...] -> [N, F]: a convzoo Flatten, remembering when ONNX's element order differs. */
export function flattenValue(node: OnnxNode, v: TensorValue, ctx: ImportContext): Imported {
  if (v.kind === 'vec' || v.kind === 'flat') return v;
  if (v.kind === 'pooled') return { kind: 'vec', node: v.node };
  const out = ctx.add(node, 'Flatten', [v.node], {});
  const [h, w, c] = v.node.shape as [number, number, number];
  if (v.kind === 'map_nhwc' || flattenOrdersAgree([h, w, c])) return { kind: 'vec', node: out };
  return { kind: 'flat', node: out, from: [h, w, c] };
}

export const flatten: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled', 'vec', 'flat']);
  if (a.int('axis', 1) !== 1) throw nodeError(node, `only Flatten with axis 1 is supported, got ${a.int('axis')}`, 'UNSUPPORTED');
  return flattenValue(node, v, ctx);
};
