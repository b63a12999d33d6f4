/**
 * Property-based fuzzing of ONNX import (fast-check): mutated, truncated, extended and random
 * files end in a model or a ConvzooError, never another exception, a hang or a huge allocation.
 * CONVZOO_FUZZ_RUNS scales it (default 1,000 per property).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvzooError, GraphBuilder, Model } from '@convzoo/core';
import { exportOnnx, importOnnx } from '../index.js';

const RUNS = Number(process.env.CONVZOO_FUZZ_RUNS ?? 1000);

function tiny(): Uint8Array {
  const g = new GraphBuilder('tiny');
  const x = g.input([6, 6, 2]);
  let y = g.conv2d(x, { filters: 3, kernelSize: 3, padding: 'same', useBias: false, name: 'c' });
  y = g.relu(g.batchNorm(y, { name: 'bn' }));
  y = g.maxPool2d(y, { poolSize: 2, ceilMode: true });
  y = g.concatenate([y, y]);
  return exportOnnx(Model.init(g.build([g.dense(g.flatten(y), { units: 4, name: 'fc' })]), 0), { foldBatchNorm: false });
}

function outcome(bytes: Uint8Array): void {
  const start = performance.now();
  try {
    importOnnx(bytes);
  } catch (e) {
    if (!(e instanceof ConvzooError)) throw new Error(`import threw a non-convzoo error: ${(e as Error)?.stack ?? String(e)}`);
  }
  expect(performance.now() - start).toBeLessThan(1000);
}

describe('ONNX import fuzzing', { timeout: 30_000 + RUNS * 20 }, () => {
  const base = tiny();
  it('byte edits, truncations, insertions and random files', () => {
    fc.assert(fc.property(fc.oneof(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
        const b = Uint8Array.from(base);
        for (const [i, v] of edits) b[i] = v;
        return b;
      }),
      fc.nat(base.length).map((n) => base.slice(0, n)),
      fc.tuple(fc.nat(base.length), fc.uint8Array({ minLength: 1, maxLength: 24 })).map(([i, ins]) => Uint8Array.from([...base.subarray(0, i), ...ins, ...base.subarray(i)])),
      fc.uint8Array({ maxLength: 400 }),
    ), outcome), { numRuns: RUNS });
  });

  it('huge varint lengths and dims poked into the file', () => {
    // 10-byte varints encode values up to 2^64: lengths and dims that must never be trusted.
    fc.assert(fc.property(fc.nat(base.length - 1), fc.bigUint64Array({ minLength: 1, maxLength: 1 }), (at, [v]) => {
      const varint: number[] = [];
      let n = v!;
      do {
        varint.push(Number(n & 0x7fn) | (n > 0x7fn ? 0x80 : 0));
        n >>= 7n;
      } while (n > 0n);
      outcome(Uint8Array.from([...base.subarray(0, at), ...varint, ...base.subarray(at + varint.length)]));
    }), { numRuns: RUNS });
  });
});
