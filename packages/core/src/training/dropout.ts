/**
 * Dropout masks decided in core, so that every backend that trains draws the same ones: the same
 * model, seed, data order and optimizer then give the same weights on tfjs and ONNX Runtime.
 */
import { ConvzooError } from '../errors.js';
import { sizeOf } from '../tensor.js';
import { rng } from '../weights/random.js';

/**
 * The inverted-dropout mask of layer `node` at training step `step` for a batch of values of
 * `shape` ([N, ...] in convzoo's NHWC layout): each value is 0 with probability `rate`, else
 * 1 / (1 - rate). Drawn from (seed, step, node) alone, so a resumed run draws the same masks.
 */
export function dropoutMask(seed: number, step: number, node: string, rate: number, shape: readonly number[]): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new ConvzooError('ARGUMENT_INVALID', `dropout rate must be in [0, 1), got ${rate}`);
  const next = rng(seed, `dropout/${step}/${node}`);
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(sizeOf(shape));
  for (let i = 0; i < mask.length; i++) mask[i] = next() < rate ? 0 : keep;
  return mask;
}
