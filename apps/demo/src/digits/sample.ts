/** The MNIST training sample shipped with the page (see vite.config.ts): labels, then 28x28 images. */
import { MNIST_SAMPLE } from 'virtual:demo-assets';
import { MNIST_PIXELS } from './mnist-format.js';

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
    const expected = n * (1 + MNIST_PIXELS);
    if (bytes.length !== expected) throw new Error(`${MNIST_SAMPLE.url}: ${bytes.length} bytes, expected ${expected}`);
    return { labels: bytes.slice(0, n), images: Float32Array.from(bytes.subarray(n), (v) => v / 255) };
  })();
  return cached;
}
