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

/**
 * Samples made on demand, batch by batch (image files decoded as they are needed), so that a data
 * set never has to fit in memory: what a trainer takes in place of LabeledData.
 */
export interface BatchSource {
  /** How many samples there are. */
  readonly size: number;
  /** The shape of one sample, [H, W, C]: the model's input. */
  readonly sampleShape: readonly number[];
  /**
   * The samples at `indices` as one NHWC float32 batch with their labels. `epoch` is given while
   * training (it seeds per-epoch augmentation) and absent for validation and evaluation.
   */
  batch(indices: Uint32Array, epoch?: number): Promise<{ x: Float32Array; y: Int32Array }>;
}

/** What fit and evaluate take: samples in memory or a source of batches. */
export type TrainingData = LabeledData | BatchSource;

const isSource = (data: TrainingData): data is BatchSource => typeof (data as BatchSource).batch === 'function';

/** Checks images against the model and labels against the classifier; returns N (a source's labels are checked per batch). */
export function checkLabeledData(model: Model, data: TrainingData, classes: number, what: string): number {
  if (typeof data === 'object' && data !== null && isSource(data)) {
    if (!(Number.isInteger(data.size) && data.size >= 1)) throw new ConvzooError('ARGUMENT_INVALID', `${what} has no samples`);
    if (data.sampleShape.join() !== model.inputShape.join()) {
      throw new ConvzooError('ARGUMENT_INVALID', `${what} gives [${data.sampleShape.join(', ')}] samples; the model takes [${model.inputShape.join(', ')}]`);
    }
    return data.size;
  }
  if (typeof data !== 'object' || data === null || data.x === undefined || data.y === undefined) {
    throw new ConvzooError('ARGUMENT_INVALID', `${what} must be { x: TensorData, y: labels } or a BatchSource`);
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

/** The samples at `indices` from either kind of data; a source's labels are checked against `classes`. */
export async function loadBatch(
  data: TrainingData, indices: Uint32Array, classes: number, epoch?: number,
): Promise<{ x: Float32Array; y: Int32Array }> {
  if (!isSource(data)) return gatherBatch(data, indices);
  const b = await data.batch(indices, epoch);
  const bad = b.y.findIndex((label) => !(label >= 0 && label < classes));
  if (bad >= 0 || b.y.length !== indices.length) {
    throw new ConvzooError('ARGUMENT_INVALID', `batch source gave ${b.y.length} labels for ${indices.length} samples${bad >= 0 ? `, label ${b.y[bad]} outside [0, ${classes})` : ''}`);
  }
  return b;
}

/** Batches of consecutive positions in `order` (the last may be smaller). */
export function* batches(order: Uint32Array, batchSize: number): Generator<Uint32Array> {
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, start + batchSize);
}
