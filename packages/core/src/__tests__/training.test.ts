import { describe, expect, it } from 'vitest';
import { epochOrder, learningRateAt, resolveFitOptions } from '../index.js';

describe('the training contract', () => {
  it('fills the defaults', () => {
    expect(resolveFitOptions({})).toEqual({
      optimizer: { name: 'adam' }, learningRate: 0.001, epochs: 1, batchSize: 32, auxLossWeight: 0.3, seed: 0, initialEpoch: 0, shuffle: true,
    });
    expect(resolveFitOptions({ optimizer: 'sgd' }).learningRate).toBe(0.01);
  });

  it.each<[string, Parameters<typeof resolveFitOptions>[0], string]>([
    ['epochs', { epochs: 0 }, 'epochs must be a positive integer, got 0'],
    ['batch size', { batchSize: 2.5 }, 'batchSize must be a positive integer, got 2.5'],
    ['optimizer', { optimizer: 'lbfgs' as never }, `unknown optimizer "lbfgs"; expected 'sgd', 'adam' or 'rmsprop'`],
    ['nesterov without momentum', { optimizer: { name: 'sgd', nesterov: true } }, 'optimizer nesterov needs momentum > 0'],
    ['learning rate', { learningRate: -1 }, 'learningRate must be a finite number > 0, got -1'],
    ['schedule', { learningRate: { schedule: 'step', initial: 0.1, everyEpochs: 0 } }, 'learningRate.everyEpochs must be a positive integer, got 0'],
    ['aux weight', { auxLossWeight: -0.3 }, 'auxLossWeight must be a finite number >= 0, got -0.3'],
    ['initial epoch', { epochs: 3, initialEpoch: 3 }, 'initialEpoch must be an integer in [0, epochs), got 3'],
  ])('names a bad %s', (_n, opts, message) => {
    expect(() => resolveFitOptions(opts)).toThrow(message);
  });

  it('schedules: step (StepLR) and cosine', () => {
    const step = { schedule: 'step', initial: 0.1, everyEpochs: 2, gamma: 0.5 } as const;
    expect([0, 1, 2, 3, 4].map((epoch) => learningRateAt(step, { epoch, step: 0, totalSteps: 10 }))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const cos = { schedule: 'cosine', initial: 1, minimum: 0 } as const;
    expect(learningRateAt(cos, { epoch: 0, step: 0, totalSteps: 4 })).toBe(1);
    expect(learningRateAt(cos, { epoch: 0, step: 2, totalSteps: 4 })).toBeCloseTo(0.5, 12);
    expect(learningRateAt(cos, { epoch: 0, step: 4, totalSteps: 4 })).toBeCloseTo(0, 12);
  });

  it('epoch orders are seeded permutations', () => {
    const a = Array.from(epochOrder(20, true, 1, 0));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Array.from(epochOrder(20, true, 1, 0))).toEqual(a);
    expect(Array.from(epochOrder(20, true, 1, 1))).not.toEqual(a);
    expect(Array.from(epochOrder(5, false, 1, 0))).toEqual([0, 1, 2, 3, 4]);
  });
});
