/**
 * The transposed window (ConvTranspose) that carries conv and pool gradients back to the input,
 * and window sums with their adjoint.
 */
import type { Pair } from '@convzoo/core';
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import { windowAttrs, type WindowGeometry } from '../../window.js';

export { geometry, windowAttrs, type WindowGeometry } from '../../window.js';

/**
 * The adjoint of a convolution with `weight` ([O, I/g, kh, kw]) over this window: every output
 * cell's value spread back over the input cells it read, weighted, giving the input's shape.
 */
export function transposedWindow(b: OnnxGraphBuilder, dy: string, weight: string, geo: WindowGeometry, group: number, name: string): string {
  return b.node('ConvTranspose', [dy, weight], name, {
    ...windowAttrs(geo),
    group: { int: group },
    output_padding: { ints: geo.unread },
  });
}

/** Whether the windows tile the input exactly: no overlap, no gap, no padding, nothing unread. */
const tiles = (geo: WindowGeometry): boolean =>
  geo.kernel.every((k, i) => k === geo.strides[i] && geo.dilation[i] === 1 && geo.unread[i] === 0) && geo.pads.every((p) => p === 0);

/**
 * The adjoint of windowSum: each window's value back on every cell it summed. Tiling windows
 * (LeNet's 2x2/2 subsampling) repeat each value kh x kw times: a nearest-neighbour Resize,
 * which ONNX Runtime runs several times faster than the transposed window. Others go through
 * the transposed window.
 */
export function windowSumAdjoint(b: OnnxGraphBuilder, dy: string, c: number, geo: WindowGeometry, name: string): string {
  if (!tiles(geo)) return transposedWindow(b, dy, onesKernel(b, c, geo.kernel), geo, c, name);
  return b.node('Resize', [dy, '', b.floats(`scales/${geo.kernel.join('x')}`, [1, 1, ...geo.kernel])], name, {
    mode: { str: 'nearest' },
    coordinate_transformation_mode: { str: 'asymmetric' },
    nearest_mode: { str: 'floor' },
  });
}

/** A depthwise [C, 1, kh, kw] kernel of ones: window sums, as a grouped convolution. */
export function onesKernel(b: OnnxGraphBuilder, c: number, [kh, kw]: Pair): string {
  return b.floats(`ones/${c}x${kh}x${kw}`, new Float32Array(c * kh * kw).fill(1), [c, 1, kh, kw]);
}

/** Depthwise window sums of a [N, C, H, W] map. */
export function windowSum(b: OnnxGraphBuilder, x: string, c: number, geo: WindowGeometry, name: string): string {
  return b.node('Conv', [x, onesKernel(b, c, geo.kernel)], name, { ...windowAttrs(geo), group: { int: c } });
}
