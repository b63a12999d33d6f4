/** The labelled datasets train and eval read, shaped for the model they feed. */
import { ConvzooError, type Model } from '@convzoo/core';
import { loadDataset, type Dataset, type DATASETS } from '@convzoo/datasets';

/** Images go in at the model's input size: MNIST's 28x28 is zero-padded (LeNet-5: to 32x32). */
export function prepare(dataset: (typeof DATASETS)[number], model: Model, split: 'train' | 'test', limit?: number): Dataset {
  const [h, w, c] = model.inputShape as [number, number, number];
  if (c !== 1 || h !== w || h < 28 || (h - 28) % 2 !== 0) {
    throw new ConvzooError('ARGUMENT_INVALID', `${dataset} images are 28x28x1; the model takes ${h}x${w}x${c}`);
  }
  return loadDataset(dataset, { split, pad: (h - 28) / 2, ...(limit !== undefined ? { limit } : {}) });
}
