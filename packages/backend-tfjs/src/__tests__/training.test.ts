/**
 * fit / evaluate semantics on small graphs: optimizer updates checked against hand-computed
 * steps, BatchNorm's moving statistics, schedules, seeded dropout, validation, memory, errors.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ConvzooError, GraphBuilder, maxRelDiff, Model, rng } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights } from '@convzoo/core/testing';
import { tfjs, type FitOptions, type LabeledData } from '../index.js';

const DEVICES = ['cpu', 'wasm'] as const;

/** logits = x W + b on 3 features, 3 classes, with fixed weights. */
function linear(): Model {
  const g = new GraphBuilder('linear');
  const model = Model.init(g.build([g.dense(g.input([3]), { units: 3, name: 'fc' })]), 0);
  model.weight('fc', 'kernel').data.set([0.2, -0.1, 0.4, 0.3, 0.5, -0.2, -0.4, 0.1, 0.2]);
  model.weight('fc', 'bias').data.set([0.1, -0.3, 0.05]);
  return model;
}

const SAMPLE: LabeledData = { x: { shape: [1, 3], data: Float32Array.from([1, -2, 0.5]) }, y: [2] };

/** The softmax cross-entropy gradient of `linear` at SAMPLE, in float64: [dW (row-major), db]. */
function gradient(w: readonly number[], b: readonly number[]): [number[], number[]] {
  const x = [...SAMPLE.x.data];
  const z = [0, 1, 2].map((j) => b[j]! + x.reduce((s, xi, i) => s + xi * w[i * 3 + j]!, 0));
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  const p = e.map((v) => v / e.reduce((s, u) => s + u, 0));
  const d = p.map((v, j) => v - (j === SAMPLE.y[0] ? 1 : 0));
  return [x.flatMap((xi) => d.map((dj) => xi * dj)), d];
}

/** Runs `steps` SGD-family steps on SAMPLE and returns [W, b] as trained on tfjs. */
async function trained(device: (typeof DEVICES)[number], steps: number, opts: FitOptions): Promise<number[]> {
  const model = linear();
  await tfjs({ device }).fit(model, SAMPLE, { epochs: steps, batchSize: 1, shuffle: false, ...opts });
  return [...model.weight('fc', 'kernel').data, ...model.weight('fc', 'bias').data];
}

function flatInit(): [number[], number[]] {
  const m = linear();
  return [[...m.weight('fc', 'kernel').data], [...m.weight('fc', 'bias').data]];
}

describe('optimizers take the documented steps', () => {
  for (const device of DEVICES) {
    it(`${device}: SGD with weight decay (PyTorch's coupled L2): w -= lr * (g + wd * w)`, async () => {
      const [w, b] = flatInit();
      const [gw, gb] = gradient(w, b);
      const expected = [...w.map((v, i) => v - 0.1 * (gw[i]! + 0.01 * v)), ...b.map((v, i) => v - 0.1 * (gb[i]! + 0.01 * v))];
      expect(maxRelDiff(await trained(device, 1, { optimizer: { name: 'sgd', weightDecay: 0.01 }, learningRate: 0.1 }), expected)).toBeLessThan(1e-6);
    });

    it(`${device}: SGD, Nesterov momentum, two steps`, async () => {
      const m = 0.9;
      const lr = 0.1;
      let [w, b] = flatInit();
      let vel = Array(12).fill(0) as number[];
      for (let step = 0; step < 2; step++) {
        const g = gradient(w, b).flat();
        vel = vel.map((v, i) => m * v + g[i]!);
        const next = [...w, ...b].map((p, i) => p - lr * (g[i]! + m * vel[i]!));
        [w, b] = [next.slice(0, 9), next.slice(9)];
      }
      const got = await trained(device, 2, { optimizer: { name: 'sgd', momentum: m, nesterov: true }, learningRate: lr });
      expect(maxRelDiff(got, [...w, ...b])).toBeLessThan(1e-6);
    });

    it(`${device}: Adam's first step moves each weight by lr * g / (|g| + eps)`, async () => {
      const [w, b] = flatInit();
      const g = gradient(w, b).flat();
      const expected = [...w, ...b].map((p, i) => p - (0.01 * g[i]!) / (Math.abs(g[i]!) + 1e-7));
      expect(maxRelDiff(await trained(device, 1, { optimizer: 'adam', learningRate: 0.01 }), expected)).toBeLessThan(1e-6);
    });

    it(`${device}: RMSProp's first step (tfjs form): lr * g / sqrt((1 - rho) g^2 + eps)`, async () => {
      const [w, b] = flatInit();
      const g = gradient(w, b).flat();
      const expected = [...w, ...b].map((p, i) => p - (0.01 * g[i]!) / Math.sqrt(0.1 * g[i]! ** 2 + 1e-7));
      expect(maxRelDiff(await trained(device, 1, { optimizer: { name: 'rmsprop', decay: 0.9 }, learningRate: 0.01 }), expected)).toBeLessThan(1e-5);
    });
  }
});

describe('learning-rate schedules', () => {
  it('step: the rate is multiplied by gamma every `everyEpochs` epochs', async () => {
    const { history } = await tfjs().fit(linear(), SAMPLE, { epochs: 5, learningRate: { schedule: 'step', initial: 0.1, everyEpochs: 2, gamma: 0.5 } });
    expect(history.map((h) => h.learningRate)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('cosine: half a cosine from initial to minimum over every batch of the run', async () => {
    const rates: number[] = [];
    const data = { x: randomInput([4, 3], 1), y: [0, 1, 2, 0] };
    await tfjs().fit(linear(), data, {
      epochs: 2, batchSize: 2, learningRate: { schedule: 'cosine', initial: 0.1, minimum: 0.02 },
      callbacks: { onBatchEnd: (_b, logs) => void rates.push(logs.learningRate) },
    });
    expect(rates).toHaveLength(4);
    rates.forEach((r, step) => expect(r).toBeCloseTo(0.02 + (0.08 * (1 + Math.cos((Math.PI * step) / 4))) / 2, 12));
  });
});

/** Every op that behaves differently in training: BatchNorm (map and vector), Dropout, plus the rest. */
function kitchenSink(): Model {
  const g = new GraphBuilder('sink');
  const x = g.input([8, 8, 3]);
  let y = g.conv2d(x, { filters: 6, kernelSize: 3, padding: 'same', groups: 3, name: 'conv' });
  y = g.relu(g.batchNorm(y, { momentum: 0.9, name: 'bn' }));
  y = g.lrn(y, { size: 4, alpha: 1e-2, beta: 0.75, bias: 1 });
  const a = g.maxPool2d(y, { poolSize: 3, strides: 2, ceilMode: true });
  const b = g.avgPool2d(y, { poolSize: 3, strides: 2, padding: 1, countIncludePad: true });
  y = g.concatenate([a, b]);
  y = g.add([y, g.zeroPadding2d(g.subsampling(g.zeroPadding2d(y, [[0, 1], [0, 1]]), { poolSize: 2, strides: 1 }), [[0, 0], [0, 0]])]);
  y = g.dropout(g.flatten(y), 0.5);
  y = g.batchNorm(g.dense(y, { units: 8 }), { momentum: 0.8, name: 'bn_vec' });
  y = g.dense(g.activation(y, 'tanh'), { units: 4, name: 'logits' });
  return randomizeNonKernelWeights(Model.init(g.build([g.activation(y, 'softmax')]), 2), 3);
}

function labeled(n: number, seed: number): LabeledData {
  const next = rng(seed, 'labels');
  return { x: randomInput([n, 8, 8, 3], seed), y: Array.from({ length: n }, () => Math.floor(next() * 4)) };
}

const snapshot = (m: Model) => new Map([...m.weights].map(([k, t]) => [k, Float32Array.from(t.data)]));

describe('training mode', () => {
  it('BatchNorm moves its statistics the Keras way: moving = momentum * moving + (1 - momentum) * batch', async () => {
    const g = new GraphBuilder('bn');
    const x = g.input([2, 2, 3]);
    const model = randomizeNonKernelWeights(Model.init(g.build([g.dense(g.flatten(g.batchNorm(x, { momentum: 0.9, name: 'bn' })), { units: 2 })]), 0), 1);
    const data = { x: randomInput([4, 2, 2, 3], 2), y: [0, 1, 1, 0] };
    const mean0 = [...model.weight('bn', 'moving_mean').data];
    const var0 = [...model.weight('bn', 'moving_variance').data];
    await tfjs().fit(model, data, { epochs: 1, batchSize: 4 });
    const values = (c: number) => [...data.x.data].filter((_, i) => i % 3 === c);
    for (let c = 0; c < 3; c++) {
      const v = values(c);
      const mean = v.reduce((s, u) => s + u, 0) / v.length;
      const variance = v.reduce((s, u) => s + (u - mean) ** 2, 0) / v.length;
      expect(model.weight('bn', 'moving_mean').data[c]).toBeCloseTo(0.9 * mean0[c]! + 0.1 * mean, 6);
      expect(model.weight('bn', 'moving_variance').data[c]).toBeCloseTo(0.9 * var0[c]! + 0.1 * variance, 6);
    }
  });

  it('dropout is seeded in training and absent in evaluation', async () => {
    const data = labeled(16, 1);
    const runs = await Promise.all([3, 3, 4].map(async (seed) => {
      const model = kitchenSink();
      await tfjs().fit(model, data, { epochs: 1, batchSize: 8, seed });
      return snapshot(model);
    }));
    const diff = (a: Map<string, Float32Array>, b: Map<string, Float32Array>) => Math.max(...[...a].map(([k, v]) => maxRelDiff(v, b.get(k)!)));
    expect(diff(runs[0]!, runs[1]!)).toBe(0);
    expect(diff(runs[0]!, runs[2]!)).toBeGreaterThan(1e-3);
    const model = kitchenSink();
    const backend = tfjs();
    expect(await backend.evaluate(model, data)).toEqual(await backend.evaluate(model, data));
  });

  for (const device of DEVICES) {
    it(`${device}: validation metrics are the evaluation of the epoch's weights`, async () => {
      const model = kitchenSink();
      const val = labeled(12, 7);
      const { history } = await tfjs({ device }).fit(model, labeled(16, 1), { epochs: 2, batchSize: 8, validationData: val });
      const last = history[1]!;
      const evaluation = await tfjs({ device }).evaluate(model, val, { batchSize: 5 });
      expect(last.valLoss).toBeCloseTo(evaluation.loss, 5);
      expect(last.valAccuracy).toBe(evaluation.accuracy);
    });

    it(`${device}: no tensor is left behind by an epoch, a fit, or 100 predicts`, async () => {
      const model = kitchenSink();
      const before = tf.memory().numTensors;
      const perEpoch: number[] = [];
      await tfjs({ device }).fit(model, labeled(16, 1), {
        epochs: 3, batchSize: 8, optimizer: { name: 'sgd', momentum: 0.9 }, validationData: labeled(4, 2),
        callbacks: { onEpochEnd: () => void perEpoch.push(tf.memory().numTensors) },
      });
      expect(new Set(perEpoch).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
      const compiled = await tfjs({ device }).compile(model);
      const loaded = tf.memory().numTensors;
      const x = randomInput([2, 8, 8, 3], 4);
      for (let i = 0; i < 100; i++) await compiled.predict(x);
      expect(tf.memory().numTensors).toBe(loaded);
      await compiled.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('evaluate scores the logits behind a softmax output', async () => {
    const model = kitchenSink();
    const data = labeled(6, 5);
    const [probs] = await (await tfjs().compile(model)).predict(data.x);
    let loss = 0;
    let hits = 0;
    for (let n = 0; n < 6; n++) {
      const row = [...probs!.data.subarray(n * 4, n * 4 + 4)];
      loss -= Math.log(row[data.y[n]!]!);
      if (row.indexOf(Math.max(...row)) === data.y[n]) hits++;
    }
    const e = await tfjs().evaluate(model, data);
    expect(e.loss).toBeCloseTo(loss / 6, 5);
    expect(e.accuracy).toBe(hits / 6);
  });
});

describe('fit refuses what it cannot train, naming it', () => {
  async function error(p: Promise<unknown>): Promise<ConvzooError> {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ConvzooError);
    return e as ConvzooError;
  }

  it('dilated convolutions (tfjs has no gradient for them)', async () => {
    const g = new GraphBuilder('dilated');
    const y = g.dense(g.flatten(g.conv2d(g.input([5, 5, 1]), { filters: 1, kernelSize: 2, dilation: 2, name: 'atrous' })), { units: 2 });
    const e = await error(tfjs().fit(Model.init(g.build([y]), 0), { x: randomInput([1, 5, 5, 1]), y: [0] }));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toBe('node "atrous" (Conv2D) cannot be trained on tfjs: tfjs has no gradient kernels for dilated convolutions');
  });

  it('labels outside the classes, and a label count that does not match', async () => {
    expect((await error(tfjs().fit(linear(), { x: SAMPLE.x, y: [3] }))).message).toBe('fit data: label 0 is 3; expected an integer class in [0, 3)');
    expect((await error(tfjs().fit(linear(), { x: SAMPLE.x, y: [0, 1] }))).message).toBe('fit data: 1 images but 2 labels');
  });

  it('an output that is not a classifier vector', async () => {
    const g = new GraphBuilder('features');
    const model = Model.init(g.build([g.conv2d(g.input([4, 4, 1]), { filters: 2, kernelSize: 3, name: 'map' })]), 0);
    const e = await error(tfjs().fit(model, { x: randomInput([1, 4, 4, 1]), y: [0] }));
    expect(e.message).toBe('training needs classifier outputs of shape [classes]; "map" has shape [2, 2, 2]');
  });

  it('bad options', async () => {
    expect((await error(tfjs().fit(linear(), SAMPLE, { optimizer: 'adagrad' as never }))).message).toBe(
      "unknown optimizer \"adagrad\"; expected 'sgd', 'adam' or 'rmsprop'",
    );
    expect((await error(tfjs().fit(linear(), SAMPLE, { optimizer: { name: 'sgd', nesterov: true } }))).message).toBe('optimizer nesterov needs momentum > 0');
    expect((await error(tfjs().fit(linear(), SAMPLE, { batchSize: 0 }))).message).toBe('batchSize must be a positive integer, got 0');
    expect((await error(tfjs().fit(linear(), SAMPLE, { learningRate: { schedule: 'step', initial: 0.1, everyEpochs: 0 } }))).message).toBe(
      'learningRate.everyEpochs must be a positive integer, got 0',
    );
  });
});
