/**
 * AvgPool2D as window sums (a depthwise convolution with ones) times 1 / divisor per output
 * cell, so the forward pass and its adjoint (ConvTranspose with the same ones) agree on
 * PyTorch's divisor rules: padding counts only with count_include_pad, the ceil-mode overhang
 * never does.
 */
import { poolDilation } from '@convzoo/core';
import { inverseDivisors } from '../../window.js';
import type { OpContext, TrainOp } from './types.js';
import { geometry, windowSum, windowSumAdjoint, type WindowGeometry } from './window.js';

function setup(node: Parameters<TrainOp<'AvgPool2D'>['forward']>[0], { b, inputShapes }: OpContext): { geo: WindowGeometry; scale: string } {
  const a = node.attrs;
  const geo = geometry(inputShapes[0]!, a.poolSize, a.strides, poolDilation(a), a.padding, a.ceilMode);
  return { geo, scale: inverseDivisors(b, node.name, inputShapes[0]!, geo, a.countIncludePad) };
}

export const avgPool2d: TrainOp<'AvgPool2D'> = {
  forward(node, [x], ctx) {
    const { geo, scale } = setup(node, ctx);
    const c = ctx.inputShapes[0]![2]!;
    return { y: ctx.b.node('Mul', [windowSum(ctx.b, x!, c, geo, `${node.name}/sum`), scale], node.name) };
  },
  backward(node, dy, _fwd, _needs, ctx) {
    const { geo, scale } = setup(node, ctx);
    const { b } = ctx;
    const c = ctx.inputShapes[0]![2]!;
    const scaled = b.node('Mul', [dy, scale], `${node.name}/dy_scaled`);
    return { inputs: [windowSumAdjoint(b, scaled, c, geo, `${node.name}/dx`)] };
  },
};
