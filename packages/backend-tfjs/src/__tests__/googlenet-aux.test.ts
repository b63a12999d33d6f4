/**
 * GoogLeNet's auxiliary classifiers (the graph's trainingOutputs) add 0.3 x their losses in
 * training only. One plain SGD step moves each weight by -lr * gradient, so comparing steps
 * taken with auxLossWeight 0.3 and 0 compares gradients.
 */
import { describe, expect, it } from 'vitest';
import { AUX_MIN_INPUT_SIZE, googlenet } from '@convzoo/arch-inception';
import { maxRelDiff, type Model } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { tfjs } from '../index.js';

const build = () => googlenet({ variant: 'torchvision', inputShape: [AUX_MIN_INPUT_SIZE, AUX_MIN_INPUT_SIZE, 3], numClasses: 10, seed: 4 });
const data = { x: randomInput([2, AUX_MIN_INPUT_SIZE, AUX_MIN_INPUT_SIZE, 3], 8), y: [3, 7] };

async function step(auxLossWeight: number): Promise<{ model: Model; delta(key: string): Float32Array }> {
  const model = build();
  const before = new Map([...model.weights].map(([k, t]) => [k, Float32Array.from(t.data)]));
  await tfjs({ device: 'wasm' }).fit(model, data, { optimizer: 'sgd', learningRate: 0.01, epochs: 1, batchSize: 2, auxLossWeight });
  return { model, delta: (key) => model.weights.get(key)!.data.map((v, i) => v - before.get(key)![i]!) };
}

describe('GoogLeNet auxiliary losses', () => {
  it('change the gradients of the layers below them, and only those', async () => {
    const [withAux, without] = [await step(0.3), await step(0)];
    expect(withAux.model.graph.trainingOutputs).toEqual(['aux1_fc2', 'aux2_fc2']);
    // Below aux1 (4a): the stem sees three losses.
    expect(maxRelDiff(withAux.delta('conv1/kernel'), without.delta('conv1/kernel'))).toBeGreaterThan(0.01);
    // Between 4a and 4d only aux2 adds; above 4d (5b) and in the main head nothing does.
    expect(maxRelDiff(withAux.delta('inception_4c_1x1/kernel'), without.delta('inception_4c_1x1/kernel'))).toBeGreaterThan(0.01);
    expect(maxRelDiff(withAux.delta('inception_5b_1x1/kernel'), without.delta('inception_5b_1x1/kernel'))).toBeLessThan(1e-6);
    expect(maxRelDiff(withAux.delta('fc/kernel'), without.delta('fc/kernel'))).toBeLessThan(1e-6);
    expect(Math.max(...without.delta('fc/kernel').map(Math.abs))).toBeGreaterThan(0);
    // The weight enters linearly: the aux part of the step at 0.6 is twice that at 0.3.
    const doubled = await step(0.6);
    const aux = (r: typeof withAux) => r.delta('conv1/kernel').map((v, i) => v - without.delta('conv1/kernel')[i]!);
    expect(maxRelDiff(aux(doubled), aux(withAux).map((v) => 2 * v))).toBeLessThan(1e-3);
    // The heads themselves learn only from their own loss.
    expect(Math.max(...withAux.delta('aux1_fc2/kernel').map(Math.abs))).toBeGreaterThan(0);
    expect(Math.max(...without.delta('aux1_fc2/kernel').map(Math.abs))).toBe(0);
  }, 120_000);

  it('vanish at inference: one output, untouched by the heads weights', async () => {
    const model = build();
    const compiled = await tfjs({ device: 'wasm' }).compile(model);
    const outs = await compiled.predict(data.x);
    await compiled.dispose();
    expect(outs.map((o) => o.shape)).toEqual([[2, 10]]);
    for (const [key, t] of model.weights) if (key.startsWith('aux')) t.data.fill(Number.NaN);
    const again = await tfjs({ device: 'wasm' }).compile(model);
    expect((await again.predict(data.x))[0]!.data).toEqual(outs[0]!.data);
    await again.dispose();
    // Evaluation scores the main head only (NaN weights in the heads would poison any use).
    expect(Number.isFinite((await tfjs({ device: 'wasm' }).evaluate(model, data)).loss)).toBe(true);
  });
});
