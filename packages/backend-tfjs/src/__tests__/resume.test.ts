/**
 * Checkpoint and resume: a run stopped after its first epoch (weights and optimizer slots saved
 * in onEpochEnd) and resumed from them ends with exactly the weights of an uninterrupted run,
 * for every optimizer that has state, with a schedule and shuffling on.
 */
import { describe, expect, it } from 'vitest';
import { lenet5 } from '@convzoo/arch-lenet';
import { maxRelDiff, type TensorMap } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { tfjs, type FitOptions, type OptimizerSpec } from '../index.js';

const data = { x: randomInput([40, 32, 32, 1], 4), y: Array.from({ length: 40 }, (_, i) => (i * 7) % 10) };
const copy = (w: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): TensorMap =>
  new Map([...w].map(([k, t]) => [k, { shape: [...t.shape], data: Float32Array.from(t.data) }]));

describe('checkpoint and resume', () => {
  it.each<[string, OptimizerSpec]>([
    ['adam', 'adam'],
    ['sgd with nesterov momentum', { name: 'sgd', momentum: 0.9, nesterov: true }],
    ['rmsprop with momentum', { name: 'rmsprop', momentum: 0.5 }],
  ])('%s: stopped after epoch 1 and resumed = uninterrupted', async (_n, optimizer) => {
    const backend = tfjs({ device: 'cpu' });
    const opts: FitOptions = { optimizer, epochs: 3, batchSize: 16, seed: 3, learningRate: { schedule: 'cosine', initial: 0.01 } };
    const straight = lenet5({ variant: 'modern', seed: 2 });
    const full = await backend.fit(straight, data, opts);

    const interrupted = lenet5({ variant: 'modern', seed: 2 });
    const controller = new AbortController();
    let saved: { weights: TensorMap; state: TensorMap } | undefined;
    const partial = await backend.fit(interrupted, data, {
      ...opts, signal: controller.signal,
      callbacks: {
        async onEpochEnd(epoch, _logs, checkpoint) {
          const state = await checkpoint.save();
          if (epoch === 0) {
            saved = { weights: copy(interrupted.weights), state };
            controller.abort();
          }
        },
      },
    });
    expect(partial.stopped).toBe(true);
    expect(partial.history.map((h) => h.epoch)).toEqual([0]);
    expect([...saved!.state.keys()][0]).toBe('0000/iter');

    const resumed = lenet5({ variant: 'modern', seed: 2 }).withWeights(saved!.weights);
    const rest = await backend.fit(resumed, data, { ...opts, initialEpoch: 1, optimizerState: saved!.state });
    expect(rest.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(rest.history.at(-1)!.loss).toBeCloseTo(full.history.at(-1)!.loss, 6);
    for (const [k, t] of straight.weights) expect(maxRelDiff(resumed.weights.get(k)!.data, t.data), k).toBe(0);
  }, 60_000);

  it('refuses a bad initialEpoch and foreign optimizer state', async () => {
    const backend = tfjs({ device: 'cpu' });
    await expect(backend.fit(lenet5({ variant: 'modern' }), data, { epochs: 2, initialEpoch: 2 })).rejects.toThrow('initialEpoch must be an integer in [0, epochs), got 2');
    await expect(backend.fit(lenet5({ variant: 'modern' }), data, { epochs: 1, optimizerState: new Map([['x', { shape: [1], data: new Float32Array(1) }]]) }))
      .rejects.toThrow('optimizerState must come from FitResult.optimizerState');
  });
});
