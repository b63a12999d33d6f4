/**
 * ortTrainer's fit surface: exact resume from an epoch checkpoint (weights, moving statistics,
 * optimizer slots, dropout masks, schedule), stopping on an abort signal, callbacks and
 * validation logs, and the errors its options and data get.
 */
import { describe, expect, it } from 'vitest';
import { isConvzooError, type FitOptions, type TensorMap } from '@convzoo/core';
import { lenet5 } from '@convzoo/arch-lenet';
import { ortTrainer, ortTraining } from '../index.js';
import { makeBatch } from './gradients-helpers.js';

const copy = (weights: TensorMap): TensorMap => new Map([...weights].map(([k, t]) => [k, { shape: [...t.shape], data: t.data.slice() }]));

// Modern LeNet-5 with dropout before its output layer, on 192 random images.
const model = () => lenet5({ variant: 'modern', dropout: 0.3, seed: 2 });
const batch = makeBatch(model(), 192);
const data = { x: batch.x, y: batch.labels };
const FIT: FitOptions = {
  optimizer: { name: 'adam', weightDecay: 1e-4 }, learningRate: { schedule: 'cosine', initial: 1e-2 }, epochs: 3, batchSize: 32, seed: 5,
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(() => { throw new Error('expected a rejection'); }, (e: Error) => e);
}

describe('ortTrainer fit', () => {
  it('resumes exactly from an epoch checkpoint (initialEpoch + optimizerState)', async () => {
    const straight = model();
    const a = ortTrainer(straight, { threads: 1 });
    await a.fit(data, FIT);
    await a.dispose();

    const interrupted = model();
    const stop = new AbortController();
    let saved: { weights: TensorMap; slots: TensorMap } | undefined;
    const b = ortTrainer(interrupted, { threads: 1 });
    const first = await b.fit(data, {
      ...FIT,
      signal: stop.signal,
      callbacks: {
        async onEpochEnd(epoch, _logs, checkpoint) {
          if (epoch !== 0) return;
          const slots = await checkpoint.save();
          saved = { weights: copy(interrupted.weights), slots };
          stop.abort();
        },
      },
    });
    await b.dispose();
    expect(first.stopped).toBe(true);
    expect(first.history).toHaveLength(1);

    const resumed = interrupted.withWeights(saved!.weights);
    const c = ortTrainer(resumed, { threads: 1 });
    const rest = await c.fit(data, { ...FIT, initialEpoch: 1, optimizerState: saved!.slots });
    await c.dispose();
    expect(rest.history.map((h) => h.epoch)).toEqual([1, 2]);
    for (const [key, t] of straight.weights) expect(resumed.weights.get(key)!.data, key).toEqual(t.data);
  });

  it('reports batches and epochs (with validation) and returns the optimizer slots in convzoo layout', async () => {
    const m = model();
    const trainer = ortTrainer(m);
    const batches: number[] = [];
    const r = await trainer.fit(data, { ...FIT, epochs: 1, validationData: data, callbacks: { onBatchEnd: (i) => void batches.push(i) } });
    expect(batches).toEqual([0, 1, 2, 3, 4, 5]);
    const [logs] = r.history;
    expect(logs!.valAccuracy).toBeGreaterThanOrEqual(0);
    expect(logs!.valLoss).toBeGreaterThan(0);
    const v = await trainer.evaluate(data);
    expect(v.loss).toBeCloseTo(logs!.valLoss!, 5);
    await trainer.dispose();
    expect(r.optimizerState.get('conv1/kernel/m')!.shape).toEqual([5, 5, 1, 6]);
    expect(r.optimizerState.get('adam/beta1_power')!.data[0]).toBeCloseTo(0.9 ** 7, 6);
  });

  it("serves core's Trainer contract (a model per call) through ortTraining, as ortTrainer trains it", async () => {
    const [viaContract, direct] = [model(), model()];
    const training = ortTraining({ threads: 1 });
    const opts = { ...FIT, epochs: 1 };
    const r = await training.fit(viaContract, data, opts);
    const e = await training.evaluate(viaContract, data);
    await training.dispose();
    const trainer = ortTrainer(direct, { threads: 1 });
    await trainer.fit(data, opts);
    expect(await trainer.evaluate(data)).toEqual(e);
    await trainer.dispose();
    expect(r.history).toHaveLength(1);
    for (const [key, t] of direct.weights) expect(viaContract.weights.get(key)!.data, key).toEqual(t.data);
  });

  it('names what is wrong with its options and data', async () => {
    const trainer = ortTrainer(model());
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => trainer.fit(data, { optimizer: 'lbfgs' as never }), /unknown optimizer "lbfgs"/],
      [() => trainer.fit(data, { batchSize: 0 }), /batchSize must be a positive integer/],
      [() => trainer.fit(data, { epochs: 2, initialEpoch: 2 }), /initialEpoch must be an integer in \[0, epochs\)/],
      [() => trainer.fit({ x: data.x, y: data.y.map((v, i) => (i === 3 ? 10 : v)) }), /label 3 is 10; expected an integer class in \[0, 10\)/],
      [() => trainer.fit(data, { optimizer: 'adam', optimizerState: new Map() }), /optimizerState has no "adam\/beta1_power"/],
      [() => trainer.evaluate({ x: { shape: [1, 28, 28, 1], data: new Float32Array(784) }, y: [0] }), /input shape \[1, 28, 28, 1\] does not match/],
    ];
    for (const [run, message] of cases) {
      const e = await rejection(run());
      expect(isConvzooError(e), e.message).toBe(true);
      expect(e.message).toMatch(message);
    }
    expect(() => ortTrainer(model(), { device: 'tpu' as never })).toThrow(/ort device must be one of cpu, cuda/);
    await trainer.dispose();
  });
});
