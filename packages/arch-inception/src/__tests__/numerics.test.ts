import { describe, expect, it } from 'vitest';
import { maxRelDiff } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights, referencePredict } from '@convzoo/core/testing';
import { googlenet } from '../index.js';

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('float64 reference run', () => {
  it('paper at 47x47 and torchvision at 31x31 give finite logits that depend on the input', () => {
    for (const [variant, size] of [['paper', 47], ['torchvision', 31]] as const) {
      const m = randomizeNonKernelWeights(googlenet({ variant, inputShape: [size, size, 3], numClasses: 10, auxClassifiers: false, seed: 1 }), 1);
      const [y] = referencePredict(m, randomInput([2, size, size, 3], 4));
      expect(y!.shape).toEqual([2, 10]);
      expect(y!.data.every(Number.isFinite)).toBe(true);
      expect(maxRelDiff(y!.data.slice(0, 10), y!.data.slice(10))).toBeGreaterThan(0.01);
    }
  });

  it('softmax outputs sum to 1 per sample', () => {
    const m = randomizeNonKernelWeights(googlenet({ variant: 'torchvision', inputShape: [31, 31, 3], numClasses: 10, auxClassifiers: false, classifierActivation: 'softmax' }), 2);
    const [p] = referencePredict(m, randomInput([2, 31, 31, 3], 5));
    expect(p!.shape).toEqual([2, 10]);
    expect(p!.data.every((v) => v > 0 && v < 1)).toBe(true);
    expect(sum(p!.data.slice(0, 10))).toBeCloseTo(1, 6);
    expect(sum(p!.data.slice(10))).toBeCloseTo(1, 6);
  });

  it('the auxiliary heads do not touch the inference output', () => {
    // Weights are seeded per name, so the shared nodes get the same values with and without aux.
    const x = randomInput([1, 79, 79, 3], 6);
    const [withAux, without] = [true, false].map((auxClassifiers) =>
      referencePredict(randomizeNonKernelWeights(googlenet({ inputShape: [79, 79, 3], numClasses: 10, auxClassifiers, seed: 3 }), 3), x));
    expect(withAux).toHaveLength(1);
    expect(withAux![0]!.data.every(Number.isFinite)).toBe(true);
    expect(maxRelDiff(withAux![0]!.data, without![0]!.data)).toBe(0);
  });
});

describe('seeded init', () => {
  const bytes = (t: { data: Float32Array }) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

  it('is reproducible from the seed', () => {
    const a = googlenet({ seed: 11 });
    const b = googlenet({ seed: 11 });
    const c = googlenet({ seed: 12 });
    expect([...b.weights.keys()]).toEqual([...a.weights.keys()]);
    for (const [key, t] of a.weights) expect(bytes(b.weights.get(key)!).equals(bytes(t)), key).toBe(true);
    expect(bytes(c.weight('inception_3a_1x1', 'kernel')).equals(bytes(a.weight('inception_3a_1x1', 'kernel')))).toBe(false);
    // He normal on the convolutions: std sqrt(2 / fan_in), fan_in = 7 * 7 * 3 for conv1.
    const k = a.weight('conv1', 'kernel').data;
    expect(Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length)).toBeCloseTo(Math.sqrt(2 / 147), 2);
    expect(a.weight('conv1', 'bias').data.every((v) => v === 0)).toBe(true);
  });
});
