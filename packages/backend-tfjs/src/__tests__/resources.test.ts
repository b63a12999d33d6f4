/**
 * Resource safety under normal use: tensor counts stay flat over 1,000 predicts, and
 * concurrent predicts on one compiled model return what sequential ones do.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lenet5 } from '@convzoo/arch-lenet';
import { randomInput } from '@convzoo/core/testing';
import { tfjs } from '../index.js';

describe.each(['wasm', 'cpu'] as const)('resources on %s', (device) => {
  it('1,000 predicts leave tf.memory().numTensors where it was', async () => {
    const compiled = await tfjs({ device }).compile(lenet5({ seed: 1 }));
    const x = randomInput([1, 32, 32, 1], 1);
    await compiled.predict(x); // warm-up allocations (kernels, constants) happen once
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) await compiled.predict(x);
    expect(tf.memory().numTensors).toBe(before);
    await compiled.dispose();
  }, 120_000);

  it('16 concurrent predicts equal 16 sequential ones', async () => {
    const compiled = await tfjs({ device }).compile(lenet5({ variant: 'modern', seed: 2 }));
    const inputs = Array.from({ length: 16 }, (_, i) => randomInput([2, 32, 32, 1], 100 + i));
    const sequential: Float32Array[] = [];
    for (const x of inputs) sequential.push((await compiled.predict(x))[0]!.data);
    const concurrent = await Promise.all(inputs.map((x) => compiled.predict(x)));
    concurrent.forEach(([y], i) => expect(y!.data).toEqual(sequential[i]));
    await compiled.dispose();
  }, 60_000);
});
