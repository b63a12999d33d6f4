import { describe, expect, it } from 'vitest';
import type { TensorData } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { lenet5, LENET_VARIANTS } from '../index.js';

/** Byte equality (vitest's deep equality is far too slow for million-element arrays). */
const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const rows = (t: TensorData) => {
  const n = t.shape[0]!;
  const width = t.data.length / n;
  return Array.from({ length: n }, (_, i) => [...t.data.subarray(i * width, (i + 1) * width)]);
};

describe.each(LENET_VARIANTS)('lenet5 %s runs in the float64 reference interpreter', (variant) => {
  const x = randomInput([2, 32, 32, 1], 7);

  it('logits: [2, 10], finite, not all equal', () => {
    const [y] = referencePredict(lenet5({ variant }), x);
    expect(y!.shape).toEqual([2, 10]);
    expect(y!.data.every(Number.isFinite)).toBe(true);
    for (const r of rows(y!)) expect(Math.max(...r) - Math.min(...r)).toBeGreaterThan(1e-3);
  });

  it('softmax rows sum to 1 and rank classes as the logits do', () => {
    const [logits] = referencePredict(lenet5({ variant }), x);
    const [probs] = referencePredict(lenet5({ variant, classifierActivation: 'softmax' }), x);
    rows(probs!).forEach((p, i) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      const l = rows(logits!)[i]!;
      expect(p.indexOf(Math.max(...p))).toBe(l.indexOf(Math.max(...l)));
    });
  });
});

describe('seeded initialization', () => {
  it.each(LENET_VARIANTS)('%s: same seed -> identical weights, another seed -> different kernels', (variant) => {
    const a = lenet5({ variant, seed: 11 });
    const b = lenet5({ variant, seed: 11 });
    const c = lenet5({ variant, seed: 12 });
    expect([...a.weights.keys()]).toEqual([...b.weights.keys()]);
    for (const [key, t] of a.weights) expect(sameBytes(b.weights.get(key)!.data, t.data), key).toBe(true);
    const kernels = [...a.weights.keys()].filter((k) => k.endsWith('/kernel'));
    expect(kernels.length).toBeGreaterThan(3);
    for (const key of kernels) expect(sameBytes(c.weights.get(key)!.data, a.weights.get(key)!.data), key).toBe(false);
  });
});
