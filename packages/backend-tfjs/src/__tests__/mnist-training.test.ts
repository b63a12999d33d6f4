/**
 * LeNet-5 learns a small real subset of MNIST on wasm (4,000 training images, two epochs; about
 * 15 s each here), and the weights written back into the core Model predict the same on cpu
 * and in core's float64 reference interpreter.
 */
import { describe, expect, it } from 'vitest';
import { C3_CONNECTIONS, lenet5 } from '@convzoo/arch-lenet';
import { classificationAccuracy, referencePredict } from '@convzoo/core/testing';
import type { Model } from '@convzoo/core';
import { loadMnist } from '@convzoo/datasets';
import { tfjs, type FitOptions, type LabeledData } from '../index.js';

/** The first `limit` images, in [0, 1], zero-padded from 28x28 to 32x32 as LeNet-5 expects. */
const mnist = (split: 'train' | 'test', limit: number): LabeledData => {
  const d = loadMnist({ split, limit, pad: 2, normalize: 'unit' });
  return { x: d.images, y: d.labels };
};
const train = mnist('train', 4000);
const test = mnist('test', 1000);

async function trainAndCheck(model: Model, opts: FitOptions, data: LabeledData = train) {
  const wasm = tfjs({ device: 'wasm' });
  const before = await wasm.evaluate(model, test);
  const { history } = await wasm.fit(model, data, { epochs: 2, batchSize: 32, seed: 1, ...opts });
  const after = await wasm.evaluate(model, test);
  const cpu = await tfjs({ device: 'cpu' }).compile(model);
  const [cpuOut] = await cpu.predict(test.x);
  await cpu.dispose();
  const [refOut] = referencePredict(model, test.x);
  return { before, after, history, cpuAccuracy: classificationAccuracy(cpuOut!, test.y), referenceAccuracy: classificationAccuracy(refOut!, test.y) };
}

describe('LeNet-5 learns MNIST on wasm', () => {
  it('modern (ReLU, max pooling), Adam: over 90% of 1,000 test images', async () => {
    const r = await trainAndCheck(lenet5({ variant: 'modern', seed: 1 }), { optimizer: 'adam', learningRate: 2e-3 });
    expect(r.before.accuracy).toBeLessThan(0.2);
    expect(r.history[1]!.loss).toBeLessThan(r.history[0]!.loss);
    expect(r.after.accuracy).toBeGreaterThan(0.9);
    expect(r.cpuAccuracy).toBeCloseTo(r.after.accuracy, 2);
    expect(r.referenceAccuracy).toBeCloseTo(r.after.accuracy, 2);
  }, 120_000);

  it('paper (scaled tanh, trainable subsampling, C3 map), SGD + Nesterov + weight decay, cosine: over 90%', async () => {
    const model = lenet5({ variant: 'paper', seed: 1 });
    const r = await trainAndCheck(model, {
      optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      learningRate: { schedule: 'cosine', initial: 0.05, minimum: 0.005 },
    });
    expect(r.after.accuracy).toBeGreaterThan(0.9);
    expect(r.referenceAccuracy).toBeCloseTo(r.after.accuracy, 2);
    // C3 has 60 of 96 connections: the 36 left out stay exactly zero through training.
    const kernel = model.weight('c3', 'kernel').data;
    const masked = [...kernel].filter((_, i) => C3_CONNECTIONS[Math.floor(i / 16) % 6]![i % 16] === 0);
    expect(masked).toHaveLength(25 * 36);
    expect(masked.every((v) => v === 0)).toBe(true);
    expect(kernel.filter((v) => v !== 0)).toHaveLength(25 * 60);
  }, 120_000);
});
