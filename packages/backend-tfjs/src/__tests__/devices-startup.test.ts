// A fresh process: probing every device at once must not let one backend's initialization
// overtake another's (tfjs drops an initialization that a later one overtakes).
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder, maxRelDiff, Model } from '@convzoo/core';
import { tfjs } from '../index.js';

it('devices(), compile on wasm and compile on cpu, all at once at start-up', async () => {
  expect(tf.engine().backendNames()).toEqual([]);
  const g = new GraphBuilder('tiny');
  const model = Model.init(g.build([g.dense(g.input([3]), { units: 2 })]), 0);
  const [devices, wasm, cpu] = await Promise.all([tfjs().devices(), tfjs({ device: 'wasm' }).compile(model), tfjs({ device: 'cpu' }).compile(model)]);
  expect(devices).toEqual(['wasm', 'cpu']);
  expect([wasm.device, cpu.device]).toEqual(['wasm', 'cpu']);
  const x = { shape: [1, 3], data: Float32Array.from([1, 2, 3]) };
  expect(maxRelDiff((await wasm.predict(x))[0]!.data, (await cpu.predict(x))[0]!.data)).toBeLessThan(1e-6);
});
