import { ConvzooError, rng, type TensorData } from '@convzoo/core';

/** Images as NHWC float32, ready for a model, with integer labels. */
export interface Dataset {
  readonly name: string;
  /** [N, H, W, C] */
  readonly images: TensorData;
  readonly labels: Uint8Array;
  readonly classes: readonly string[];
}

export function sampleShape(d: Dataset): [number, number, number] {
  const [, h, w, c] = d.images.shape as [number, number, number, number];
  return [h, w, c];
}

export function size(d: Dataset): number {
  return d.labels.length;
}

/** A new dataset holding the given samples, in that order. */
export function subset(d: Dataset, indices: ArrayLike<number>, name = d.name): Dataset {
  const per = d.images.data.length / d.labels.length;
  const images = new Float32Array(indices.length * per);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(d.images.data.subarray(j * per, (j + 1) * per), i * per);
    labels[i] = d.labels[j]!;
  }
  return { name, images: { shape: [indices.length, ...d.images.shape.slice(1)], data: images }, labels, classes: d.classes };
}

/** A seeded Fisher-Yates permutation of 0..n-1 (core's rng: the same seed, the same order everywhere). */
export function permutation(n: number, seed: number, stream = 'shuffle'): Uint32Array {
  const next = rng(seed, stream);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Splits off a seeded random validation set of `fraction` of the samples. */
export function trainValidationSplit(d: Dataset, fraction: number, seed = 0): { train: Dataset; validation: Dataset } {
  if (!(fraction > 0 && fraction < 1)) throw new ConvzooError('ARGUMENT_INVALID', `validation fraction must be in (0, 1), got ${fraction}`);
  const p = permutation(size(d), seed, 'split');
  const nVal = Math.round(size(d) * fraction);
  return { validation: subset(d, p.subarray(0, nVal), `${d.name}-validation`), train: subset(d, p.subarray(nVal), `${d.name}-train`) };
}

export interface Batch {
  readonly x: TensorData;
  readonly y: Uint8Array;
}

/**
 * Mini-batches for one epoch. With a seed, the order is a permutation seeded by (seed, epoch),
 * so a resumed run sees exactly the batches an uninterrupted one would. The last batch may be
 * smaller unless dropRemainder.
 */
export function* batches(d: Dataset, batchSize: number, opts: { seed?: number; epoch?: number; dropRemainder?: boolean } = {}): Generator<Batch> {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new ConvzooError('ARGUMENT_INVALID', `batch size must be a positive integer, got ${batchSize}`);
  const n = size(d);
  const order = opts.seed === undefined ? undefined : permutation(n, opts.seed, `epoch-${opts.epoch ?? 0}`);
  const per = d.images.data.length / n;
  const rest = d.images.shape.slice(1);
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    if (m < batchSize && opts.dropRemainder) return;
    if (order === undefined) {
      yield { x: { shape: [m, ...rest], data: d.images.data.subarray(start * per, (start + m) * per) }, y: d.labels.subarray(start, start + m) };
    } else {
      const s = subset(d, order.subarray(start, start + m));
      yield { x: s.images, y: s.labels };
    }
  }
}
