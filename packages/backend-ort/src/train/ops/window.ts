/**
 * Sliding-window geometry in ONNX terms, shared by convolutions and pools, and the transposed
 * window (ConvTranspose) that carries their gradients back to the input.
 */
import { window2d, type Padding, type Pair, type Window2D } from '@convzoo/core';
import type { Attrs, OnnxBuilder } from '../onnx-builder.js';

export interface WindowGeometry {
  readonly win: Window2D;
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilation: Pair;
  /** ONNX pads [top, left, bottom, right]; for pools the ceil-mode overhang is trailing padding. */
  readonly pads: readonly [number, number, number, number];
  /**
   * Input rows / columns past the last window (stride leftovers): the forward pass never reads
   * them, so the transposed window must add them back (ConvTranspose output_padding).
   */
  readonly unread: Pair;
}

export function geometry(
  input: readonly number[], kernel: Pair, strides: Pair, dilation: Pair, padding: Padding, ceilMode = false,
): WindowGeometry {
  const [h, w] = input as [number, number, number];
  const win = window2d(h, w, kernel, strides, dilation, padding, ceilMode);
  const pads = [win.h.padBefore, win.w.padBefore, win.h.padAfter + win.h.ceilExtra, win.w.padAfter + win.w.ceilExtra] as const;
  const span = (i: 0 | 1) => dilation[i] * (kernel[i] - 1) + 1;
  const unread = (i: 0 | 1, size: number, out: number): number => size + pads[i] + pads[i + 2]! - ((out - 1) * strides[i] + span(i));
  return { win, kernel, strides, dilation, pads, unread: [unread(0, h, win.h.out), unread(1, w, win.w.out)] };
}

/** Conv / pool attributes of the window. */
export function windowAttrs(geo: WindowGeometry, withDilation = true): Attrs {
  return {
    kernel_shape: { ints: geo.kernel },
    strides: { ints: geo.strides },
    pads: { ints: geo.pads },
    ...(withDilation ? { dilations: { ints: geo.dilation } } : {}),
  };
}

/**
 * The adjoint of a convolution with `weight` ([O, I/g, kh, kw]) over this window: every output
 * cell's value spread back over the input cells it read, weighted, giving the input's shape.
 */
export function transposedWindow(b: OnnxBuilder, dy: string, weight: string, geo: WindowGeometry, group: number, name: string): string {
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
export function windowSumAdjoint(b: OnnxBuilder, dy: string, c: number, geo: WindowGeometry, name: string): string {
  if (!tiles(geo)) return transposedWindow(b, dy, onesKernel(b, c, geo.kernel), geo, c, name);
  return b.node('Resize', [dy, '', b.floats(`scales/${geo.kernel.join('x')}`, [1, 1, ...geo.kernel])], name, {
    mode: { str: 'nearest' },
    coordinate_transformation_mode: { str: 'asymmetric' },
    nearest_mode: { str: 'floor' },
  });
}

/** A depthwise [C, 1, kh, kw] kernel of ones: window sums, as a grouped convolution. */
export function onesKernel(b: OnnxBuilder, c: number, [kh, kw]: Pair): string {
  return b.floats(`ones/${c}x${kh}x${kw}`, new Float32Array(c * kh * kw).fill(1), [c, 1, kh, kw]);
}

/** Depthwise window sums of a [N, C, H, W] map. */
export function windowSum(b: OnnxBuilder, x: string, c: number, geo: WindowGeometry, name: string): string {
  return b.node('Conv', [x, onesKernel(b, c, geo.kernel)], name, { ...windowAttrs(geo), group: { int: c } });
}
