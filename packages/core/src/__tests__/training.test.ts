import { describe, expect, it } from 'vitest';
import { epochOrder, learningRateAt, resolveFitOptions, runFitLoop, type BatchSource } from '../index.js';

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

describe('runFitLoop', () => {
  /** A BatchSource whose loads and the loop's steps are logged in the order they start and end. */
  function logged(n: number) {
    const log: string[] = [];
    const data: BatchSource = {
      size: n,
      sampleShape: [1],
      async batch(indices) {
        log.push(`load ${indices[0]} start`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`load ${indices[0]} end`);
        return { x: Float32Array.from(indices), y: Int32Array.from(indices, (i) => i % 2) };
      },
    };
    return { log, data };
  }

  it('loads batch k+1 while step k runs, and hands each step its own samples', async () => {
    const { log, data } = logged(6);
    const seen: number[][] = [];
    const fit = resolveFitOptions({ epochs: 1, batchSize: 2, shuffle: false });
    await runFitLoop(6, fit, {}, {
      data,
      classes: 2,
      save: async () => new Map(),
      async step({ indices, batch }) {
        log.push(`step ${indices[0]} start`);
        seen.push([...batch.x]);
        await new Promise((r) => setTimeout(r, 20));
        log.push(`step ${indices[0]} end`);
        return { loss: 0, correct: 0 };
      },
    });
    expect(seen).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(log).toEqual([
      'load 0 start', 'load 0 end',
      'load 2 start', 'step 0 start', 'load 2 end', 'step 0 end',
      'load 4 start', 'step 2 start', 'load 4 end', 'step 2 end',
      'step 4 start', 'step 4 end',
    ]);
  });

  it('a batch fetched ahead that fails surfaces at its own step, and an abort leaves no rejection unheard', async () => {
    const data: BatchSource = {
      size: 4,
      sampleShape: [1],
      batch: async (indices) => {
        if (indices[0] === 2) throw new Error('bad file 2.png');
        return { x: Float32Array.from(indices), y: Int32Array.from(indices, () => 0) };
      },
    };
    const fit = resolveFitOptions({ epochs: 1, batchSize: 2, shuffle: false });
    const steps: number[] = [];
    const loop = {
      data, classes: 2, save: async () => new Map(),
      step: async ({ indices }: { indices: Uint32Array }) => {
        steps.push(indices[0]!);
        return { loss: 0, correct: 0 };
      },
    };
    await expect(runFitLoop(4, fit, {}, loop)).rejects.toThrow('bad file 2.png');
    expect(steps).toEqual([0]);
    const abort = new AbortController();
    const stopped = await runFitLoop(4, fit, { signal: abort.signal, callbacks: { onBatchEnd: () => abort.abort() } }, loop);
    expect(stopped.stopped).toBe(true);
  });
});
