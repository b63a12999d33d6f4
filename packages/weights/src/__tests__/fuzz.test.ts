/**
 * Property-based fuzzing of the state-dict reader (fast-check): mutated, truncated, extended and
 * random files, zip and legacy, end in tensors or a ConvzooError, never another exception, a hang
 * or a huge allocation. CONVZOO_FUZZ_RUNS scales it (default 1,000 per property).
 */
import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { describe, it } from 'vitest';
import { readTorch } from '../index.js';
import { RUNS, expectTypedOutcome, fixture, mutations } from './fuzzing.js';

const outcome = expectTypedOutcome('readTorch', (bytes) => readTorch(bytes));

describe('state-dict reader fuzzing', { timeout: 30_000 + RUNS * 20 }, () => {
  const legacy = fixture('tiny-legacy.pth');
  const zip = fixture('tiny.pth');
  const entries = unzipSync(zip);
  const pkl = Object.keys(entries).find((n) => n.endsWith('/data.pkl'))!;

  it('legacy files: byte edits, truncations, insertions', () => {
    fc.assert(fc.property(mutations(legacy), outcome), { numRuns: RUNS });
  });

  it('zip files: the pickle inside mutated (the zip layer is fflate\'s)', () => {
    fc.assert(fc.property(mutations(entries[pkl]!), (p) => outcome(zipSync({ ...entries, [pkl]: p }, { level: 0 }))), { numRuns: RUNS });
  });

  it('random pickles from the opcodes a state dict uses', () => {
    const ops = [0x28, 0x2e, 0x4e, 0x88, 0x89, 0x4b, 0x7d, 0x5d, 0x29, 0x74, 0x85, 0x86, 0x87, 0x71, 0x68, 0x73, 0x75, 0x61, 0x65, 0x52, 0x62, 0x51, 0x93, 0x94, 0x8c];
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom(...ops), fc.integer({ min: 0, max: 255 })), { maxLength: 200 }), (body) => {
      outcome(new Uint8Array([0x80, 2, ...body]));
    }), { numRuns: RUNS });
  });
});
