/** The MNIST training sample shipped with the page (see vite.config.ts): labels, then 28x28 images. */
import { MNIST_SAMPLE } from 'virtual:demo-assets';
import { MNIST_SIZE } from './mnist-format.js';

export interface DigitSample {
  readonly labels: Uint8Array;
  /** N x 784 values in [0, 1]. */
  readonly images: Float32Array;
}

let cached: Promise<DigitSample> | undefined;

export function loadDigitSample(): Promise<DigitSample> {
  cached ??= (async () => {
    const res = await fetch(MNIST_SAMPLE.url);
    if (!res.ok) throw new Error(`${MNIST_SAMPLE.url}: HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const n = MNIST_SAMPLE.count;
    if (bytes.length !== n * (1 + MNIST_SIZE * MNIST_SIZE)) throw new Error(`${MNIST_SAMPLE.url}: ${bytes.length} bytes, expected ${n * 785}`);
    return { labels: bytes.slice(0, n), images: Float32Array.from(bytes.subarray(n), (v) => v / 255) };
  })();
  return cached;
}
