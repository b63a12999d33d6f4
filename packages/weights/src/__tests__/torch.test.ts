import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTorch } from '../index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const expected = JSON.parse(readFileSync(new URL('./fixtures/tiny.json', import.meta.url), 'utf8')) as Record<string, { shape: number[]; data: number[] }>;

// Written by torch (scripts/make-fixtures.py): a transposed, an offset and a strided view of one
// storage, float16, bfloat16, a 0-d tensor and an int64 num_batches_tracked.
describe.each(['tiny.pth', 'tiny-legacy.pth'])('readTorch(%s)', (file) => {
  const tensors = readTorch(fixture(file), file);

  it('reads every tensor with torch values, strides and offsets applied', () => {
    expect([...tensors.keys()]).toEqual(Object.keys(expected));
    for (const [name, want] of Object.entries(expected)) {
      const t = tensors.get(name)!;
      expect(t.shape, name).toEqual(want.shape);
      expect([...t.data], name).toEqual(want.data.map(Math.fround));
    }
  });

  it('gives every tensor its own contiguous float32 array', () => {
    const buffers = new Set([...tensors.values()].map((t) => t.data.buffer));
    expect(buffers.size).toBe(tensors.size);
  });
});
