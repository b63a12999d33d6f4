/**
 * Two optimizer steps of ortTrainer against backend-tfjs's fit (tfjs cpu) from the same weights
 * on the same batches: the weight changes (and BatchNorm's moved statistics) agree within 1e-4
 * of the largest change, for every optimizer and option.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, maxRelDiff, Model, type TensorMap } from '@convzoo/core';
import { randomizeNonKernelWeights } from '@convzoo/core/testing';
import { tfjs, type FitOptions } from '@convzoo/backend-tfjs';
import { ortTrainer } from '../index.js';
import { makeBatch } from './gradients-helpers.js';

function model(): Model {
  const g = new GraphBuilder('step');
  let x = g.conv2d(g.input([6, 6, 2]), { filters: 4, kernelSize: 3, useBias: false, name: 'conv' });
  x = g.activation(g.batchNorm(x, { name: 'bn' }), 'relu');
  x = g.maxPool2d(x, { poolSize: 2 });
  x = g.dense(g.flatten(x), { units: 3, name: 'fc' });
  return randomizeNonKernelWeights(Model.init(g.build([x]), 5), 6);
}

const copy = (weights: TensorMap): TensorMap => new Map([...weights].map(([k, t]) => [k, { shape: [...t.shape], data: t.data.slice() }]));

const OPTIMIZERS: readonly [string, FitOptions][] = [
  ['SGD', { optimizer: 'sgd', learningRate: 0.1 }],
  ['SGD + momentum + weight decay', { optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 1e-2 }, learningRate: 0.1 }],
  ['SGD + Nesterov', { optimizer: { name: 'sgd', momentum: 0.8, nesterov: true }, learningRate: 0.1 }],
  ['Adam', { optimizer: 'adam', learningRate: 0.05 }],
  ['Adam + weight decay, own betas', { optimizer: { name: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 1e-2 }, learningRate: 0.05 }],
  ['RMSProp + momentum', { optimizer: { name: 'rmsprop', momentum: 0.5 }, learningRate: 0.01 }],
  ['RMSProp centered', { optimizer: { name: 'rmsprop', centered: true }, learningRate: 0.01 }],
];

describe('two optimizer steps move the weights as backend-tfjs does', () => {
  const start = model();
  const batch = makeBatch(start, 8);
  const data = { x: batch.x, y: batch.labels };
  for (const [name, opts] of OPTIMIZERS) {
    it(name, async () => {
      const fit = { ...opts, epochs: 1, batchSize: 4, shuffle: false };
      const a = start.withWeights(copy(start.weights));
      const b = start.withWeights(copy(start.weights));
      await tfjs({ device: 'cpu' }).fit(a, data, { ...fit, seed: 1 });
      const trainer = ortTrainer(b, { threads: 1 });
      await trainer.fit(data, { ...fit, seed: 1 });
      await trainer.dispose();
      for (const [key, before] of start.weights) {
        const delta = (m: Model) => m.weights.get(key)!.data.map((v, i) => v - before.data[i]!);
        expect(maxRelDiff(delta(b), delta(a)), key).toBeLessThan(1e-4);
      }
    });
  }
});
