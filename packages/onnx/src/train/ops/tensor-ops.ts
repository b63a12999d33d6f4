/** Small node patterns the op modules share. */
import { unitDims, type OnnxGraphBuilder } from '../../graph-builder.js';

/** Sums a gradient over every axis but the channel axis 1 (a bias or per-channel scale): [C]. */
export function channelSum(b: OnnxGraphBuilder, t: string, rank: number, name: string): string {
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  return b.node('ReduceSum', [t, b.int64s('axes', axes)], name, { keepdims: { int: 0 } });
}

/** A per-channel [C] vector shaped to broadcast against [N, C, ...] of `rank`. */
export function perChannel(b: OnnxGraphBuilder, v: string, c: number, rank: number, name: string): string {
  if (rank === 2) return v;
  return b.node('Reshape', [v, b.int64s('shape', [1, c, ...unitDims(rank - 2)])], name);
}

/** Rank of the ONNX value of a convzoo per-sample shape: maps are [N, C, H, W], vectors [N, F]. */
export const rankOf = (shape: readonly number[]): number => shape.length + 1;
