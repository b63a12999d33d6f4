import type { Padding } from './attrs.js';

/** Geometry of a sliding window along one axis. */
export interface AxisWindow {
  readonly out: number;
  /** Declared padding (explicit, or resolved from 'same'). */
  readonly padBefore: number;
  readonly padAfter: number;
  /**
   * Cells past padAfter that the last window reads in ceil mode. They are not padding: max
   * pooling ignores them and average pooling never counts them (PyTorch semantics).
   */
  readonly ceilExtra: number;
}

/**
 * One helper for convolutions and pools so that every backend and the exporter agree on
 * output sizes and pads. Returns out <= 0 when the window does not fit.
 */
export function axisWindow(
  size: number, kernel: number, stride: number, dilation: number,
  padding: 'valid' | 'same' | readonly [number, number], ceilMode = false,
): AxisWindow {
  const span = dilation * (kernel - 1) + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + span - size, 0);
    const before = Math.floor(total / 2);
    return { out, padBefore: before, padAfter: total - before, ceilExtra: 0 };
  }
  const [before, after] = padding === 'valid' ? [0, 0] : padding;
  const padded = size + before + after;
  if (padded < span) return { out: 0, padBefore: before, padAfter: after, ceilExtra: 0 };
  let out = ceilMode ? Math.ceil((padded - span) / stride) + 1 : Math.floor((padded - span) / stride) + 1;
  // PyTorch: the last window must start inside the input or its leading padding.
  if (ceilMode && (out - 1) * stride >= size + before) out -= 1;
  const ceilExtra = Math.max(0, (out - 1) * stride + span - padded);
  return { out, padBefore: before, padAfter: after, ceilExtra };
}

/**
 * Cells each window along one axis divides by in average pooling: those inside the input, plus
 * the declared padding with count_include_pad (never the ceil-mode overhang, as in PyTorch).
 * A dilated window counts its taps, dilation apart.
 */
export function windowDivisors(win: AxisWindow, size: number, kernel: number, stride: number, includePad: boolean, dilation = 1): number[] {
  const lo = includePad ? -win.padBefore : 0;
  const hi = includePad ? size + win.padAfter : size;
  return Array.from({ length: win.out }, (_, i) => {
    const start = i * stride - win.padBefore;
    let taps = 0;
    for (let k = 0; k < kernel; k++) if (start + k * dilation >= lo && start + k * dilation < hi) taps++;
    return taps;
  });
}

export interface Window2D {
  readonly h: AxisWindow;
  readonly w: AxisWindow;
}

export function window2d(
  height: number, width: number,
  kernel: readonly [number, number], strides: readonly [number, number], dilation: readonly [number, number],
  padding: Padding, ceilMode = false,
): Window2D {
  const axisPad = (i: 0 | 1): 'valid' | 'same' | readonly [number, number] =>
    typeof padding === 'string' ? padding : padding[i];
  return {
    h: axisWindow(height, kernel[0], strides[0], dilation[0], axisPad(0), ceilMode),
    w: axisWindow(width, kernel[1], strides[1], dilation[1], axisPad(1), ceilMode),
  };
}

export function describePadding(padding: Padding): string {
  return typeof padding === 'string' ? `'${padding}'` : JSON.stringify(padding);
}
