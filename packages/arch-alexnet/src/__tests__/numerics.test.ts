import { describe, expect, it } from 'vitest';
import type { Model } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights, referencePredict } from '@convzoo/core/testing';
import { alexnet, alexnetCards, ALEXNET_VARIANTS } from '../index.js';

/** Byte equality (vitest's deep equality is far too slow for million-element arrays). */
const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe.each(ALEXNET_VARIANTS)('alexnet %s runs in the float64 reference interpreter', (variant) => {
  // The smallest input the variant takes keeps the float64 interpreter quick.
  const min = alexnetCards.alexnet[variant].minInputSize;
  const x = randomInput([2, min, min, 3], 5);
  const build = (o: { classifierActivation?: 'softmax' } = {}): Model =>
    randomizeNonKernelWeights(alexnet({ variant, inputShape: [min, min, 3], numClasses: 10, seed: 1, ...o }), 1);

  it('logits [2, 10], finite, different per sample; softmax rows sum to 1', { timeout: 60_000 }, () => {
    const [logits] = referencePredict(build(), x);
    expect(logits!.shape).toEqual([2, 10]);
    expect(logits!.data.every(Number.isFinite)).toBe(true);
    expect([...logits!.data.subarray(0, 10)]).not.toEqual([...logits!.data.subarray(10)]);
    const [probs] = referencePredict(build({ classifierActivation: 'softmax' }), x);
    for (const i of [0, 1]) {
      const row = [...probs!.data.subarray(i * 10, i * 10 + 10)];
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(row.every((p) => p > 0)).toBe(true);
    }
  });
});

describe('alexnet seeded initialization', () => {
  it('same seed -> identical weights, another seed -> different kernels', { timeout: 60_000 }, () => {
    const opts = { inputShape: [67, 67, 3], numClasses: 10 } as const;
    const a = alexnet({ ...opts, seed: 4 });
    const b = alexnet({ ...opts, seed: 4 });
    const c = alexnet({ ...opts, seed: 5 });
    expect([...b.weights.keys()]).toEqual([...a.weights.keys()]);
    for (const [key, t] of a.weights) expect(sameBytes(b.weights.get(key)!.data, t.data), key).toBe(true);
    const kernels = [...a.weights.keys()].filter((k) => k.endsWith('/kernel'));
    expect(kernels).toHaveLength(8);
    for (const key of kernels) expect(sameBytes(c.weights.get(key)!.data, a.weights.get(key)!.data), key).toBe(false);
  });
});
