/** Folding an inference BatchNorm into the Conv2D or Dense before it. */
import type { Model, NodeOf } from '@convzoo/core';

/** Per-channel affine form of an inference BatchNorm: y = x * scale + shift. */
export function batchNormAffine(bn: NodeOf<'BatchNorm'>, model: Model): { scale: Float32Array; shift: Float32Array } {
  const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => model.weight(bn.name, p).data);
  const scale = new Float32Array(gamma!.length);
  const shift = new Float32Array(gamma!.length);
  for (let c = 0; c < scale.length; c++) {
    const s = gamma![c]! / Math.sqrt(variance![c]! + bn.attrs.epsilon);
    scale[c] = s;
    shift[c] = beta![c]! - mean![c]! * s;
  }
  return { scale, shift };
}

/** Bias after folding: b * scale + shift (b = 0 when the layer has none). */
export function foldedBias(bias: Float32Array | undefined, affine: { scale: Float32Array; shift: Float32Array }): Float32Array {
  return affine.shift.map((s, c) => (bias ? bias[c]! * affine.scale[c]! : 0) + s);
}
