import { ConvzooError } from '@convzoo/core';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadMnist, type LoadOptions } from './mnist.js';
import type { Dataset } from './dataset.js';

export const DATASETS = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Loads a dataset by its CLI name. */
export function loadDataset(name: string, opts: LoadOptions = {}): Dataset {
  if (name === 'mnist') return loadMnist(opts);
  if (name === 'fashion-mnist') return loadFashionMnist(opts);
  throw new ConvzooError('ARGUMENT_INVALID', `unknown dataset "${name}"; expected one of: ${DATASETS.join(', ')}`);
}
