import { describe, expect, it } from 'vitest';
import { randomInput, randomizeNonKernelWeights, referencePredict } from '@convzoo/core/testing';
import { maxRelDiff } from '@convzoo/core';
import { resnet18, resnet50 } from '../index.js';

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('float64 reference run', () => {
  const x = randomInput([2, 32, 32, 3], 1);

  it('resnet18 at 32x32 with 10 classes gives finite logits that depend on the input', () => {
    const m = randomizeNonKernelWeights(resnet18({ inputShape: [32, 32, 3], numClasses: 10, seed: 3 }), 3);
    const [y] = referencePredict(m, x);
    expect(y!.shape).toEqual([2, 10]);
    expect(y!.data.every(Number.isFinite)).toBe(true);
    expect(y!.data.slice(0, 10)).not.toEqual(y!.data.slice(10));
  });

  it('softmax outputs sum to 1 per sample', () => {
    const m = randomizeNonKernelWeights(resnet18({ inputShape: [32, 32, 3], numClasses: 10, classifierActivation: 'softmax', seed: 3 }), 3);
    const [p] = referencePredict(m, x);
    expect(p!.shape).toEqual([2, 10]);
    expect(p!.data.every((v) => v > 0 && v < 1)).toBe(true);
    expect(sum(p!.data.slice(0, 10))).toBeCloseTo(1, 6);
    expect(sum(p!.data.slice(10))).toBeCloseTo(1, 6);
  });

  it('bottleneck features are rectified after each residual add, and the stride placement matters', () => {
    const input = randomInput([1, 32, 32, 3], 2);
    // Both variants have the same parameters, so one seed gives both the same weights.
    const [paper, tv] = (['paper', 'torchvision'] as const).map((variant) => {
      const m = randomizeNonKernelWeights(resnet50({ variant, inputShape: [32, 32, 3], features: ['layer1', 'layer4'], seed: 5 }), 5);
      const outs = referencePredict(m, input);
      expect(outs.map((o) => o.shape)).toEqual([[1, 8, 8, 256], [1, 1, 1, 2048]]);
      for (const o of outs) {
        expect(o.data.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        expect(o.data.some((v) => v > 0)).toBe(true);
      }
      return outs;
    });
    // layer1 has no stride: identical; layer4 sees v1 vs v1.5 downsampling: different.
    expect(maxRelDiff(paper![0]!.data, tv![0]!.data)).toBe(0);
    expect(maxRelDiff(paper![1]!.data, tv![1]!.data)).toBeGreaterThan(0.05);
  });
});
