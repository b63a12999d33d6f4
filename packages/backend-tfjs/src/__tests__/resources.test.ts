/**
 * Resource safety under normal use: tensor counts stay flat over 1,000 predicts (concurrent
 * predicts are in core's conformance suite).
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
});
