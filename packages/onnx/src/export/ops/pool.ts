/** MaxPool2D and AvgPool2D, on one pooling rule. */
import { poolDilation, type NodeOf } from '@convzoo/core';
import { geometry, windowAttrs } from '../../window.js';
import type { Emit, EmitContext } from './types.js';

/**
 * Pools in floor mode with any ceil-mode overhang as trailing padding (see WindowGeometry).
 * Counting declared pads alongside an overhang needs them as real zeros: an explicit Pad.
 */
function poolNodes(
  opType: 'MaxPool' | 'AveragePool', node: NodeOf<'MaxPool2D'> | NodeOf<'AvgPool2D'>, x: string,
  { model, g }: EmitContext, countIncludePad = false,
): string {
  const a = node.attrs;
  const geo = geometry(model.shapeOf(node.inputs[0]!), a.poolSize, a.strides, poolDilation(a), a.padding, a.ceilMode);
  // AveragePool has dilations from opset 19 only (MaxPool from 10).
  if (opType === 'AveragePool' && a.dilation !== undefined) g.requireOpset(19);
  const { h, w } = geo.win;
  const declared = [h.padBefore, w.padBefore, h.padAfter, w.padAfter];
  const overhang = h.ceilExtra + w.ceilExtra > 0;
  let input = x;
  let pads: readonly number[] = geo.pads;
  if (countIncludePad && overhang && declared.some((p) => p > 0)) {
    const [t, l, b, r] = declared;
    input = g.node('Pad', [x, g.int64s(`${node.name}/pads`, [0, 0, t!, l!, 0, 0, b!, r!])], `${node.name}/pad`);
    pads = [0, 0, h.ceilExtra, w.ceilExtra];
  }
  const attrs = { ...windowAttrs(geo, false), pads: { ints: pads } };
  if (opType === 'MaxPool') return g.node('MaxPool', [input], node.name, attrs);
  const counted = countIncludePad && !overhang && declared.some((p) => p > 0);
  return g.node('AveragePool', [input], node.name, { ...attrs, count_include_pad: { int: counted ? 1 : 0 } });
}

export const maxPool2d: Emit<'MaxPool2D'> = (node, [x], ctx) => ({ name: poolNodes('MaxPool', node, x!.name, ctx) });

export const avgPool2d: Emit<'AvgPool2D'> = (node, [x], ctx) => ({ name: poolNodes('AveragePool', node, x!.name, ctx, node.attrs.countIncludePad) });
