import { checkPredictInput } from '../backend.js';
import { ConvzooError } from '../errors.js';
import type { Model } from '../model.js';
import { sizeOf, type TensorData } from '../tensor.js';
import { rng } from '../weights/random.js';

/** Samples with class labels. */
export interface LabeledData {
  /** Images, NHWC float32 [N, ...model input shape]. */
  readonly x: TensorData;
  /** The class index of each sample (N integers in [0, classes)). */
  readonly y: ArrayLike<number>;
}

/** Checks images against the model and labels against the classifier; returns N. */
export function checkLabeledData(model: Model, data: LabeledData, classes: number, what: string): number {
  if (typeof data !== 'object' || data === null || data.x === undefined || data.y === undefined) {
    throw new ConvzooError('ARGUMENT_INVALID', `${what} must be { x: TensorData, y: labels }`);
  }
  const n = checkPredictInput(model, data.x);
  if (data.y.length !== n) throw new ConvzooError('ARGUMENT_INVALID', `${what}: ${n} images but ${data.y.length} labels`);
  for (let i = 0; i < n; i++) {
    const label = data.y[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ConvzooError('ARGUMENT_INVALID', `${what}: label ${i} is ${label}; expected an integer class in [0, ${classes})`);
    }
  }
  return n;
}

/** Sample order for one epoch: a seeded Fisher-Yates shuffle, or 0..n-1. */
export function epochOrder(n: number, shuffle: boolean, seed: number, epoch: number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  if (!shuffle) return order;
  const next = rng(seed, `shuffle/${epoch}`);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Copies the samples at `indices` into one batch. */
export function gatherBatch(data: LabeledData, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const per = sizeOf(data.x.shape.slice(1));
  const x = new Float32Array(indices.length * per);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    x.set(data.x.data.subarray(s * per, (s + 1) * per), i * per);
    y[i] = data.y[s]!;
  }
  return { x, y };
}

/** Batches of consecutive positions in `order` (the last may be smaller). */
export function* batches(order: Uint32Array, batchSize: number): Generator<Uint32Array> {
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, start + batchSize);
}
