/**
 * Sliding-window geometry in ONNX terms, shared by export and the training graphs: core's window
 * rule (window2d) as explicit ONNX pads, with pools always written in floor mode.
 */
import { window2d, type Padding, type Pair, type Window2D } from '@convzoo/core';
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

/** Conv / pool attributes of the window (pools have no dilations). */
export function windowAttrs(geo: WindowGeometry, withDilation = true): Attrs {
  return {
    kernel_shape: { ints: geo.kernel },
    strides: { ints: geo.strides },
    pads: { ints: geo.pads },
    ...(withDilation ? { dilations: { ints: geo.dilation } } : {}),
  };
}
