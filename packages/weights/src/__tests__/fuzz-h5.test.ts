/**
 * Property-based fuzzing of the Keras .h5 reader (fast-check), as fuzz.test.ts does the
 * state-dict reader: mutated, truncated and extended files (contiguous and gzip-chunked layouts)
 * end in Keras weights or a ConvzooError (FileFormatError), never another exception, a hang or a
 * huge allocation. CONVZOO_FUZZ_RUNS scales it (default 1,000 per property).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ConvzooError } from '@convzoo/core';
import { describe, expect, it } from 'vitest';
import { isHdf5, readKerasH5 } from '../index.js';

const RUNS = Number(process.env.CONVZOO_FUZZ_RUNS ?? 1000);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

function outcome(bytes: Uint8Array): void {
  const start = performance.now();
  try {
    readKerasH5(bytes);
  } catch (e) {
    if (!(e instanceof ConvzooError)) throw new Error(`readKerasH5 threw a non-convzoo error: ${(e as Error)?.stack ?? String(e)}`);
  }
  expect(performance.now() - start).toBeLessThan(1000);
}

const mutations = (base: Uint8Array) => fc.oneof(
  fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
    const b = Uint8Array.from(base);
    for (const [i, v] of edits) b[i] = v;
    return b;
  }),
  fc.nat(base.length).map((n) => base.subarray(0, n)),
  fc.tuple(fc.nat(base.length), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, extra]) => new Uint8Array([...base.subarray(0, i), ...extra, ...base.subarray(i)])),
);

describe('Keras .h5 reader fuzzing', { timeout: 30_000 + RUNS * 20 }, () => {
  it.each(['keras-tiny.h5', 'keras-tiny-model.h5'])('%s: byte edits, truncations, insertions', (name) => {
    fc.assert(fc.property(mutations(fixture(name)), outcome), { numRuns: RUNS });
  });

  it('random bytes after the HDF5 signature', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (body) => {
      const bytes = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, ...body]);
      expect(isHdf5(bytes)).toBe(true);
      outcome(bytes);
    }), { numRuns: RUNS });
  });
});
