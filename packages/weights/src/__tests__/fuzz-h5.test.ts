/**
 * Property-based fuzzing of the Keras .h5 reader (fast-check), as fuzz.test.ts does the
 * state-dict reader: mutated, truncated and extended files (contiguous and gzip-chunked layouts)
 * end in Keras weights or a ConvzooError (FileFormatError), never another exception, a hang or a
 * huge allocation. CONVZOO_FUZZ_RUNS scales it (default 1,000 per property).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHdf5, readKerasH5 } from '../index.js';
import { RUNS, expectTypedOutcome, fixture, mutations } from './fuzzing.js';

const outcome = expectTypedOutcome('readKerasH5', (bytes) => readKerasH5(bytes));

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
