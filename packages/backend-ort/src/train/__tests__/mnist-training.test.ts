/**
 * LeNet-5 learns a small real subset of MNIST with ortTrainer (the generated training graph on
 * onnxruntime-node), and the weights written back into the core Model predict the same in
 * core's float64 reference interpreter.
 */
import { describe, expect, it } from 'vitest';
import { C3_CONNECTIONS, lenet5 } from '@convzoo/arch-lenet';
import { loadMnist } from '@convzoo/datasets';
import { classificationAccuracy, referencePredict } from '@convzoo/core/testing';
import type { FitOptions, LabeledData, Model } from '@convzoo/core';
import { ortTrainer } from '../index.js';

const mnist = (split: 'train' | 'test', limit: number): LabeledData => {
  const d = loadMnist({ split, limit, pad: 2 });
  return { x: d.images, y: d.labels };
};
const train = mnist('train', 8000);
const test = mnist('test', 2000);
// The float64 reference interpreter is slow: it checks the written-back weights on a slice.
const slice: LabeledData = { x: { shape: [300, 32, 32, 1], data: test.x.data.subarray(0, 300 * 1024) }, y: Array.from(test.y).slice(0, 300) };

async function trainAndCheck(model: Model, opts: FitOptions) {
  const trainer = ortTrainer(model, { threads: 1 });
  const before = await trainer.evaluate(test);
  const t0 = performance.now();
  const { history } = await trainer.fit(train, { epochs: 2, batchSize: 32, seed: 1, ...opts });
  const seconds = (performance.now() - t0) / 1000;
  const after = await trainer.evaluate(test);
  const onSlice = await trainer.evaluate(slice);
  await trainer.dispose();
  const [refOut] = referencePredict(model, slice.x);
  console.log(`${model.name}: ${(2 * 8000 / seconds).toFixed(0)} samples/s, test accuracy ${before.accuracy} -> ${after.accuracy}`);
  return { before, after, history, sliceAccuracy: onSlice.accuracy, referenceAccuracy: classificationAccuracy(refOut!, slice.y) };
}

describe('LeNet-5 learns MNIST with ortTrainer', () => {
  it('modern (ReLU, max pooling), Adam: over 95% of 2,000 test images', async () => {
    const r = await trainAndCheck(lenet5({ variant: 'modern', seed: 1 }), { optimizer: 'adam', learningRate: 2e-3 });
    expect(r.before.accuracy).toBeLessThan(0.2);
    expect(r.history[1]!.loss).toBeLessThan(r.history[0]!.loss);
    expect(r.after.accuracy).toBeGreaterThan(0.95);
    expect(r.referenceAccuracy).toBe(r.sliceAccuracy);
  }, 60_000);

  it('paper (scaled tanh, trainable subsampling, C3 map), SGD + Nesterov + weight decay, cosine: over 93%', async () => {
    const model = lenet5({ variant: 'paper', seed: 1 });
    const r = await trainAndCheck(model, {
      optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      learningRate: { schedule: 'cosine', initial: 0.05, minimum: 0.005 },
    });
    expect(r.after.accuracy).toBeGreaterThan(0.93);
    expect(r.referenceAccuracy).toBe(r.sliceAccuracy);
    // C3 has 60 of 96 connections: the 36 left out stay exactly zero through training.
    const kernel = model.weight('c3', 'kernel').data;
    const masked = [...kernel].filter((_, i) => C3_CONNECTIONS[Math.floor(i / 16) % 6]![i % 16] === 0);
    expect(masked).toHaveLength(25 * 36);
    expect(masked.every((v) => v === 0)).toBe(true);
    expect(kernel.filter((v) => v !== 0)).toHaveLength(25 * 60);
  }, 60_000);
});
