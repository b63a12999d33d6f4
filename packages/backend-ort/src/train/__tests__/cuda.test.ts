/**
 * ortTrainer({ device: 'cuda' }) runs the same generated graphs on ONNX Runtime's CUDA execution
 * provider (detected as ort({ device: 'cuda' }) does). Where the provider is missing, training
 * is refused with its reason, never run on the CPU instead; the GPU test is skipped, saying why.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, isConvzooError, maxRelDiff, Model } from '@convzoo/core';
import { ortCudaStatus } from '../../index.js';
import { ortTrainer } from '../index.js';
import { makeBatch } from './gradients-helpers.js';

function small(): Model {
  const g = new GraphBuilder('cuda_train');
  let x = g.conv2d(g.input([8, 8, 1]), { filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' });
  x = g.maxPool2d(g.batchNorm(x, { name: 'bn' }), { poolSize: 2 });
  return Model.init(g.build([g.dense(g.flatten(x), { units: 3, name: 'fc' })]), 1);
}

const status = await ortCudaStatus();
const skipReason = status.available ? '' : ` (skipped: ${status.reason})`;
if (!status.available) console.log(`ortTrainer on cuda not tested: ${status.reason}`);

describe('ortTrainer on cuda', () => {
  it.runIf(!status.available)('without the CUDA provider: DEVICE_UNAVAILABLE with the reason, nothing trained', async () => {
    const model = small();
    const before = model.weight('conv', 'kernel').data.slice();
    const batch = makeBatch(model, 4);
    const trainer = ortTrainer(model, { device: 'cuda' });
    expect(trainer.device).toBe('cuda');
    const e = await trainer.fit({ x: batch.x, y: batch.labels }).then(() => undefined, (err: unknown) => err);
    expect(isConvzooError(e) && e.code === 'DEVICE_UNAVAILABLE').toBe(true);
    expect((e as Error).message).toContain("device 'cuda' requested");
    expect((e as Error).message).toContain((status as { reason: string }).reason);
    await expect(trainer.evaluate({ x: batch.x, y: batch.labels })).rejects.toThrow(/device 'cuda' requested/);
    expect(model.weight('conv', 'kernel').data).toEqual(before);
  });

  it.runIf(status.available)(`two SGD steps on cuda move the weights as on cpu${skipReason}`, async () => {
    const [a, b] = [small(), small()];
    const batch = makeBatch(a, 8);
    const opts = { optimizer: { name: 'sgd', momentum: 0.9 }, learningRate: 0.1, batchSize: 4, shuffle: false } as const;
    for (const [model, device] of [[a, 'cpu'], [b, 'cuda']] as const) {
      const trainer = ortTrainer(model, { device });
      await trainer.fit({ x: batch.x, y: batch.labels }, opts);
      await trainer.dispose();
    }
    for (const [key, t] of a.weights) expect(maxRelDiff(b.weights.get(key)!.data, t.data), key).toBeLessThan(1e-4);
  });
});
