/** IDX parsing under mutated and random input: a parse or a FileFormatError, never anything else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvzooError } from '@convzoo/core';
import { parseIdx } from '../index.js';

const RUNS = Number(process.env.CONVZOO_FUZZ_RUNS ?? 2000);

function idx(dims: number[]): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + n);
  out.set([0, 0, 8, dims.length]);
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d));
  for (let i = 0; i < n; i++) out[4 + 4 * dims.length + i] = i % 256;
  return out;
}

describe('IDX fuzzing', { timeout: 10_000 + RUNS * 5 }, () => {
  const base = idx([3, 4, 5]);
  it('mutated, truncated, extended and random files', () => {
    const input = fc.oneof(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((edits) => {
        const b = Uint8Array.from(base);
        for (const [i, v] of edits) b[i] = v;
        return b;
      }),
      fc.nat(base.length).map((n) => base.slice(0, n)),
      fc.uint8Array({ maxLength: 40 }).map((extra) => Uint8Array.from([...base, ...extra])),
      fc.uint8Array({ maxLength: 300 }),
    );
    fc.assert(fc.property(input, (bytes) => {
      const start = performance.now();
      try {
        const r = parseIdx(bytes, 'f.idx');
        expect(r.data.length).toBe(r.dims.reduce((a, b) => a * b, 1));
      } catch (e) {
        if (!(e instanceof ConvzooError)) throw e;
      }
      // A runaway guard (a loop or unbounded allocation), not a timing: generous for a loaded CI machine.
      expect(performance.now() - start).toBeLessThan(5_000);
    }), { numRuns: RUNS });
  });
});
