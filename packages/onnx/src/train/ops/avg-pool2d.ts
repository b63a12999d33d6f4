/**
 * AvgPool2D as window sums (a depthwise convolution with ones) times 1 / divisor per output
 * cell, so the forward pass and its adjoint (ConvTranspose with the same ones) agree on
 * PyTorch's divisor rules: padding counts only with count_include_pad, the ceil-mode overhang
 * never does.
 */
import { windowDivisors } from '@convzoo/core';
import type { OpContext, TrainOp } from './types.js';
import { geometry, windowSum, windowSumAdjoint, type WindowGeometry } from './window.js';

function setup(node: Parameters<TrainOp<'AvgPool2D'>['forward']>[0], { b, inputShapes }: OpContext): { geo: WindowGeometry; scale: string } {
  const a = node.attrs;
  const [h, w] = inputShapes[0] as [number, number, number];
  const geo = geometry(inputShapes[0]!, a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
  const dh = windowDivisors(geo.win.h, h, a.poolSize[0], a.strides[0], a.countIncludePad);
  const dw = windowDivisors(geo.win.w, w, a.poolSize[1], a.strides[1], a.countIncludePad);
  const scale = b.floats(`${node.name}/inverse_divisor`, dh.flatMap((r) => dw.map((c) => 1 / (r * c))), [1, 1, dh.length, dw.length]);
  return { geo, scale };
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
