import { describe, expect, it } from 'vitest';
import { randomInput, randomizeNonKernelWeights, referencePredict } from '@convzoo/core/testing';
import { vgg11, vgg11_bn } from '../index.js';

/** Byte equality (vitest's deep equality is far too slow for million-element arrays). */
const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const SMALL = { inputShape: [32, 32, 3], numClasses: 10 } as const;

describe('vgg11 at 32x32 runs in the float64 reference interpreter', () => {
  // One sample each: VGG-11 at 32x32 is 155M MACs, seconds in the float64 interpreter.
  const x = randomInput([1, 32, 32, 3], 9);

  it('softmax: [1, 10], finite, positive, sums to 1', { timeout: 60_000 }, () => {
    const [y] = referencePredict(vgg11({ ...SMALL, classifierActivation: 'softmax', seed: 2 }), x);
    expect(y!.shape).toEqual([1, 10]);
    expect(y!.data.every((p) => Number.isFinite(p) && p > 0)).toBe(true);
    expect(y!.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('with BatchNorm (non-trivial statistics): logits [1, 10], finite, not constant', { timeout: 60_000 }, () => {
    const model = randomizeNonKernelWeights(vgg11_bn({ ...SMALL, seed: 2 }), 3);
    const [y] = referencePredict(model, x);
    expect(y!.shape).toEqual([1, 10]);
    expect(y!.data.every(Number.isFinite)).toBe(true);
    expect(Math.max(...y!.data) - Math.min(...y!.data)).toBeGreaterThan(1e-3);
  });
});

describe('vgg seeded initialization', () => {
  it('same seed -> identical weights, another seed -> different kernels', { timeout: 60_000 }, () => {
    const a = vgg11_bn({ ...SMALL, seed: 8 });
    const b = vgg11_bn({ ...SMALL, seed: 8 });
    const c = vgg11_bn({ ...SMALL, seed: 9 });
    expect([...b.weights.keys()]).toEqual([...a.weights.keys()]);
    for (const [key, t] of a.weights) expect(sameBytes(b.weights.get(key)!.data, t.data), key).toBe(true);
    const kernels = [...a.weights.keys()].filter((k) => k.endsWith('/kernel'));
    expect(kernels).toHaveLength(11);
    for (const key of kernels) expect(sameBytes(c.weights.get(key)!.data, a.weights.get(key)!.data), key).toBe(false);
  });
});
