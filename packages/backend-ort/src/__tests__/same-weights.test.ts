/**
 * One training contract, one result: core decides the optimizer defaults, the schedule, the data
 * order and the dropout masks, so the same model, seed, data and optimizer give the same weights
 * on every backend that trains, dropout included.
 */
import { alexnet } from '@convzoo/arch-alexnet';
import { tfjs } from '@convzoo/backend-tfjs';
import { resnet18 } from '@convzoo/arch-resnet';
import { frozenLayers, gatherBatch, maxRelDiff, type BatchSource, type Model, type Trainer } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { ort } from '../index.js';

/** max|a - b| / max|b| per tensor after 20 float32 SGD steps computed in different orders. */
const TOLERANCE = 1e-4;

const STEPS = 20;
const BATCH = 4;

function model(): Model {
  // The smallest input AlexNet takes: pool5 is 1x1, so the classifier's dropout sees [N, 256] and [N, 4096].
  return alexnet({ variant: 'torchvision', inputShape: [63, 63, 3], numClasses: 5, seed: 3 });
}

async function train(trainer: Trainer): Promise<Model> {
  const m = model();
  const n = STEPS * BATCH;
  const data = { x: randomInput([n, 63, 63, 3], 7), y: Array.from({ length: n }, (_, i) => (i * 7) % 5) };
  const result = await trainer.fit(m, data, {
    optimizer: { name: 'sgd', momentum: 0.9 }, learningRate: 0.01, batchSize: BATCH, epochs: 1, seed: 11,
  });
  expect(result.history[0]!.loss).toBeGreaterThan(0);
  await trainer.dispose();
  return m;
}

describe('same seed, same weights on every backend', () => {
  it(`AlexNet with dropout, ${STEPS} SGD-with-momentum steps: tfjs-cpu, tfjs-wasm and ort-cpu agree within ${TOLERANCE}`, async () => {
    const start = model();
    const [cpu, wasm, onnx] = [await train(tfjs({ device: 'cpu' })), await train(tfjs({ device: 'wasm' })), await train(ort({ device: 'cpu' }))];
    let moved = 0;
    const worst = { wasm: 0, ort: 0 };
    for (const [key, t] of cpu.weights) {
      moved = Math.max(moved, maxRelDiff(t.data, start.weights.get(key)!.data));
      const d = { wasm: maxRelDiff(wasm.weights.get(key)!.data, t.data), ort: maxRelDiff(onnx.weights.get(key)!.data, t.data) };
      expect(d.wasm, `tfjs-wasm ${key}`).toBeLessThan(TOLERANCE);
      expect(d.ort, `ort-cpu ${key}`).toBeLessThan(TOLERANCE);
      worst.wasm = Math.max(worst.wasm, d.wasm);
      worst.ort = Math.max(worst.ort, d.ort);
    }
    console.log(`AlexNet after ${STEPS} steps, against tfjs-cpu: tfjs-wasm ${worst.wasm.toExponential(2)}, ort-cpu ${worst.ort.toExponential(2)} (weights moved ${moved.toExponential(2)})`);
    // Training really moved the weights, so agreement is not the initial weights agreeing.
    expect(moved).toBeGreaterThan(1e-3);
  }, 900_000);

  it('a misspelt compile or fit option is an error naming it, on every backend', async () => {
    const m = model();
    const data = { x: randomInput([2, 63, 63, 3], 1), y: [0, 1] };
    for (const backend of [tfjs({ device: 'cpu' }), tfjs({ device: 'wasm' }), ort({ device: 'cpu' })]) {
      await expect(backend.compile(m, { foldBatchnorm: false } as never)).rejects.toThrow(/unknown .*compile options key "foldBatchnorm"/);
      await expect(backend.fit(m, data, { epoch: 2 } as never)).rejects.toThrow(/unknown fit options key "epoch"; expected one of: optimizer, learningRate, epochs/);
      await expect(backend.evaluate(m, data, { batchsize: 2 } as never)).rejects.toThrow(/unknown evaluate options key "batchsize"; expected one of: batchSize/);
      await backend.dispose();
    }
    expect(() => ort({ devcie: 'cpu' } as never)).toThrow(/unknown ort options key "devcie"; expected one of: device, threads, sessionOptions/);
    expect(() => tfjs({ devcie: 'cpu' } as never)).toThrow(/unknown tfjs options key "devcie"; expected one of: device, wasmPaths/);
  });
});

describe('frozen layers, the same on every backend', () => {
  const n = 24;
  const data = { x: randomInput([n, 32, 32, 3], 5), y: Array.from({ length: n }, (_, i) => i % 4) };
  // Batches made on demand (as imageFolder's are): the trainers must give the same weights as from memory.
  const source: BatchSource = {
    size: n,
    sampleShape: [32, 32, 3],
    batch: async (indices) => gatherBatch(data, indices),
  };
  const resnet = () => resnet18({ variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 4, seed: 2 });

  async function train(trainer: Trainer, freeze: 'backbone' | number): Promise<Model> {
    const m = resnet();
    // SGD on batches of 12: Adam's normalised steps, or BatchNorm over layer4's 1x1 maps of only a few
    // samples, would turn float32 rounding-order noise into large differences on any pair of backends.
    await trainer.fit(m, source, { optimizer: { name: 'sgd', momentum: 0.9 }, learningRate: 0.01, batchSize: 12, epochs: 1, seed: 1, freeze: frozenLayers(m, freeze) });
    await trainer.dispose();
    return m;
  }

  it('ResNet-18 with its first 10 layers frozen (BatchNorm included): frozen weights byte-identical, the rest agree between tfjs-cpu and ort-cpu', async () => {
    const start = resnet();
    const frozen = new Set(frozenLayers(start, 10));
    const [cpu, onnx] = [await train(tfjs({ device: 'cpu' }), 10), await train(ort({ device: 'cpu' }), 10)];
    for (const p of start.paramEntries()) {
      const before = Buffer.from(start.weights.get(p.key)!.data.buffer);
      for (const m of [cpu, onnx]) {
        const after = Buffer.from(m.weights.get(p.key)!.data.buffer);
        if (frozen.has(p.node)) expect(after.equals(before), `${p.key} frozen`).toBe(true);
        else expect(after.equals(before), `${p.key} trained`).toBe(false);
      }
      expect(maxRelDiff(onnx.weights.get(p.key)!.data, cpu.weights.get(p.key)!.data), p.key).toBeLessThan(TOLERANCE);
    }
  }, 900_000);

  it('optimizer state covers only the layers that train; a BatchNorm frozen after a trainable layer is refused', async () => {
    for (const trainer of [tfjs({ device: 'cpu' }), ort({ device: 'cpu' })]) {
      const m = resnet();
      const r = await trainer.fit(m, source, { epochs: 1, batchSize: 12, freeze: frozenLayers(m, 'backbone') });
      const keys = [...r.optimizerState.keys()];
      expect(keys.some((k) => /(^|\/)fc\/kernel\//.test(k))).toBe(true);
      for (const layer of frozenLayers(m, 'backbone')) expect(keys.filter((k) => k.includes(`/${layer}/`) || k.startsWith(`${layer}/`)), layer).toEqual([]);
      await expect(trainer.fit(m, source, { freeze: ['layer1_0_bn2'] })).rejects.toThrow(/BatchNorm "layer1_0_bn2" follows a trainable layer/);
      await expect(trainer.fit(m, source, { freeze: ['nope'] })).rejects.toThrow(/"nope" is not a layer/);
      await trainer.dispose();
    }
  }, 900_000);
});
