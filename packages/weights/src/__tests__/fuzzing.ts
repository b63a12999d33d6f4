/** What the readers' fuzz tests share: the fixtures, the run count, the mutations and the outcome check. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ConvzooError } from '@convzoo/core';
import { expect } from 'vitest';

/** Cases per property; CONVZOO_FUZZ_RUNS scales it (default 1,000). */
export const RUNS = Number(process.env.CONVZOO_FUZZ_RUNS ?? 1000);

export const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** Byte edits, truncations and insertions of a valid file. */
export const mutations = (base: Uint8Array) => fc.oneof(
  fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
    const b = Uint8Array.from(base);
    for (const [i, v] of edits) b[i] = v;
    return b;
  }),
  fc.nat(base.length).map((n) => base.subarray(0, n)),
  fc.tuple(fc.nat(base.length), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, extra]) => new Uint8Array([...base.subarray(0, i), ...extra, ...base.subarray(i)])),
);

/** `read(bytes)` returns or throws a ConvzooError, never another exception, and does not run away. */
export function expectTypedOutcome(name: string, read: (bytes: Uint8Array) => unknown): (bytes: Uint8Array) => void {
  return (bytes) => {
    const start = performance.now();
    try {
      read(bytes);
    } catch (e) {
      if (!(e instanceof ConvzooError)) throw new Error(`${name} threw a non-convzoo error: ${(e as Error)?.stack ?? String(e)}`);
    }
    // A runaway guard (a loop or unbounded allocation), not a timing: generous for a loaded CI machine.
    expect(performance.now() - start).toBeLessThan(5_000);
  };
}
