/**
 * Sliding-window geometry in ONNX terms, shared by export and the training graphs: core's window
 * rule (window2d) as explicit ONNX pads, with pools always written in floor mode.
 */
import { window2d, windowDivisors, type Padding, type Pair, type Window2D } from '@convzoo/core';
import type { OnnxGraphBuilder } from './graph-builder.js';
import type { Attrs } from './graph-builder.js';

export interface WindowGeometry {
  readonly win: Window2D;
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilation: Pair;
  /**
   * ONNX pads [top, left, bottom, right]. A ceil-mode overhang is extra trailing padding, which
   * max pooling ignores and average pooling excludes (count_include_pad 0). ONNX's own ceil_mode
   * is avoided on purpose: its output size keeps a last window that starts in the padding
   * (PyTorch drops it), and runtimes disagree on the divisor of overhanging average windows.
   */
  readonly pads: readonly [number, number, number, number];
  /**
   * Input rows / columns past the last window (stride leftovers): the forward pass never reads
   * them, so a transposed window must add them back (ConvTranspose output_padding).
   */
  readonly unread: Pair;
}

/** The window of a conv or pool over an [H, W, C] input. */
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

/**
 * Conv / pool attributes of the window. Dilations are left out where they are all 1 and not
 * asked for (pools; AveragePool has no dilations before opset 19).
 */
export function windowAttrs(geo: WindowGeometry, withDilation = true): Attrs {
  const dilated = geo.dilation.some((d) => d !== 1);
  return {
    kernel_shape: { ints: geo.kernel },
    strides: { ints: geo.strides },
    pads: { ints: geo.pads },
    ...(withDilation || dilated ? { dilations: { ints: geo.dilation } } : {}),
  };
}

/**
 * 1 / divisor of every output cell of an average pool as a [1, 1, OH, OW] constant (PyTorch's
 * rules, see core's windowDivisors), for the training graphs' window sums times this scale.
 */
export function inverseDivisors(b: OnnxGraphBuilder, name: string, input: readonly number[], geo: WindowGeometry, countIncludePad: boolean): string {
  const [h, w] = input as [number, number];
  const dh = windowDivisors(geo.win.h, h, geo.kernel[0], geo.strides[0], countIncludePad, geo.dilation[0]);
  const dw = windowDivisors(geo.win.w, w, geo.kernel[1], geo.strides[1], countIncludePad, geo.dilation[1]);
  return b.floats(`${name}/inverse_divisor`, dh.flatMap((r) => dw.map((c) => 1 / (r * c))), [1, 1, dh.length, dw.length]);
}
