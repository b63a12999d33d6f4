/**
 * The CLI's image reader (our PNG checks, then sharp) on PNG digits under mutated and random files: a prediction input or a
 * FileFormatError with a message, never another exception, a hang or a huge allocation.
 */
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConvzooError, MNIST } from '@convzoo/core';
import { readImages } from '../image.js';

const RUNS = Number(process.env.CONVZOO_FUZZ_RUNS ?? 1000);
const digit = (file: string) => readImages([file], MNIST, [32, 32, 1]);

describe('PNG reader fuzzing', { timeout: 20_000 + RUNS * 10 }, () => {
  const png = new PNG({ width: 12, height: 9 });
  png.data.fill(200);
  const base = PNG.sync.write(png);
  const dir = mkdtempSync(join(tmpdir(), 'png-fuzz-'));
  const file = join(dir, 'x.png');

  it('valid PNGs of any size become one normalized 32x32 input', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), async (w, h) => {
      const p = new PNG({ width: w, height: h });
      writeFileSync(file, PNG.sync.write(p));
      const t = await digit(file);
      expect(t.shape).toEqual([1, 32, 32, 1]);
      expect(t.data.every(Number.isFinite)).toBe(true);
    }), { numRuns: Math.min(RUNS, 200) });
  });

  it('refuses a header claiming a gigantic image before decoding it', async () => {
    const lying = Buffer.from(base);
    lying.writeUInt32BE(100_000, 16);
    lying.writeUInt32BE(100_000, 20);
    writeFileSync(file, lying);
    await expect(digit(file)).rejects.toThrow('x.png: PNG claims 100000x100000 pixels; the limit is 16777216');
  });

  it('mutated and random bytes', async () => {
    const input = fc.oneof(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((edits) => {
        const b = Buffer.from(base);
        for (const [i, v] of edits) b[i] = v;
        return b;
      }),
      fc.nat(base.length).map((n) => base.subarray(0, n)),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(fc.asyncProperty(input, async (bytes) => {
      writeFileSync(file, bytes);
      const start = performance.now();
      try {
        await digit(file);
      } catch (e) {
        if (!(e instanceof ConvzooError)) throw e;
        expect(e.message).toContain('x.png');
      }
      // A runaway guard (a loop or unbounded allocation), not a timing: generous for a loaded CI machine.
      expect(performance.now() - start).toBeLessThan(5_000);
    }), { numRuns: RUNS });
  });
});
