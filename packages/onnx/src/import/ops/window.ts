/**
 * ONNX window attributes as convzoo's window: the inverse of src/window.ts's windowAttrs.
 */
import type { Padding, Pair } from '@convzoo/core';
import type { OnnxNode } from '../../proto/decode.js';
import { nodeError, type Attrs } from '../context.js';

/**
 * kernel_shape, strides, dilations and pads / auto_pad of Conv and the pools, for an input of
 * `size` [H, W] (SAME_LOWER becomes explicit pads for that size; convzoo's 'same' is SAME_UPPER).
 */
export function windowFromAttrs(node: OnnxNode, a: Attrs, size: readonly number[], kernel?: readonly number[]): { kernelSize: Pair; strides: Pair; dilation: Pair; padding: Padding } {
  const k = a.has('kernel_shape') ? a.ints('kernel_shape') : kernel;
  if (k === undefined || k.length !== 2) throw nodeError(node, `only 2-D windows are supported, kernel_shape is ${JSON.stringify(k)}`, 'UNSUPPORTED');
  if (kernel !== undefined && (k[0] !== kernel[0] || k[1] !== kernel[1])) throw nodeError(node, `kernel_shape ${JSON.stringify(k)} disagrees with the weights' ${JSON.stringify(kernel)}`);
  const pairOf = (name: string): Pair => {
    const v = a.ints(name, [1, 1]);
    if (v.length !== 2) throw nodeError(node, `${name} must have 2 values, got ${JSON.stringify(v)}`);
    return [v[0]!, v[1]!];
  };
  const strides = pairOf('strides');
  const dilation = pairOf('dilations');
  const autoPad = a.string('auto_pad', 'NOTSET');
  let padding: Padding;
  if (autoPad === 'SAME_UPPER') padding = 'same';
  else if (autoPad === 'VALID') padding = 'valid';
  else if (autoPad === 'SAME_LOWER') {
    const [top, bottom, left, right] = [0, 1].flatMap((d) => {
      const total = Math.max(0, (Math.ceil(size[d]! / strides[d]!) - 1) * strides[d]! + (k[d]! - 1) * dilation[d]! + 1 - size[d]!);
      return [total - Math.floor(total / 2), Math.floor(total / 2)];
    }) as [number, number, number, number];
    padding = [[top, bottom], [left, right]];
  } else if (autoPad === 'NOTSET') {
    const p = a.ints('pads', [0, 0, 0, 0]);
    if (p.length !== 4 || p.some((x) => x < 0)) throw nodeError(node, `pads must be 4 non-negative values [top, left, bottom, right], got ${JSON.stringify(p)}`, 'UNSUPPORTED');
    // torch before opset 10 writes ceil_mode as extra end padding, which may reach past every
    // window (and past what convzoo allows): trim each end to what the last window covers.
    const end = (d: 0 | 1) => {
      if (a.int('ceil_mode', 0) !== 0) return p[d + 2]!;
      const span = (k[d]! - 1) * dilation[d]! + 1;
      const out = Math.floor((size[d]! + p[d]! + p[d + 2]! - span) / strides[d]!) + 1;
      return Math.min(p[d + 2]!, Math.max(0, (out - 1) * strides[d]! + span - size[d]! - p[d]!));
    };
    const [bottom, right] = [end(0), end(1)];
    padding = p[0] === 0 && p[1] === 0 && bottom === 0 && right === 0 ? 'valid' : [[p[0]!, bottom], [p[1]!, right]];
  } else {
    throw nodeError(node, `auto_pad ${autoPad} is not supported (NOTSET, SAME_UPPER, SAME_LOWER or VALID)`, 'UNSUPPORTED');
  }
  return { kernelSize: [k[0]!, k[1]!], strides, dilation, padding };
}
