import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ConvzooError, GraphBuilder, Model } from '@convzoo/core';
import { tfjs } from '../index.js';

function tinyModel(): Model {
  const g = new GraphBuilder('tiny');
  const x = g.input([4, 4, 1]);
  const y = g.dense(g.flatten(g.conv2d(x, { filters: 2, kernelSize: 3, activation: 'relu' })), { units: 3 });
  return Model.init(g.build([y]), 0);
}

async function rejection(p: Promise<unknown>): Promise<ConvzooError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ConvzooError);
  return e as ConvzooError;
}

describe('devices', () => {
  // tfjs's cpu backend greets Node users on stderr; a library must stay quiet.
  const warn = vi.spyOn(console, 'warn');
  const stderr = vi.spyOn(process.stderr, 'write');
  beforeAll(() => {
    warn.mockClear();
    stderr.mockClear();
  });
  afterAll(() => {
    warn.mockRestore();
    stderr.mockRestore();
  });

  it('lists wasm and cpu in Node, and nothing that needs a browser or libtensorflow', async () => {
    expect(await tfjs().devices()).toEqual(['wasm', 'cpu']);
  });

  it('runs wasm by default in Node and reports the device that really runs', async () => {
    const compiled = await tfjs().compile(tinyModel());
    expect(compiled.device).toBe('wasm');
    const [y] = await compiled.predict({ shape: [1, 4, 4, 1], data: new Float32Array(16).fill(1) });
    expect(y!.shape).toEqual([1, 3]);
    await compiled.dispose();
  });

  it('predicts on cpu and wasm without a banner on stderr', async () => {
    for (const device of ['cpu', 'wasm'] as const) {
      const compiled = await tfjs({ device }).compile(tinyModel());
      expect(compiled.device).toBe(device);
      await compiled.predict({ shape: [2, 4, 4, 1], data: new Float32Array(32).fill(0.5) });
      await compiled.dispose();
    }
    expect(warn).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
  });

  it('refuses an unavailable device, naming why and listing the available ones', async () => {
    const webgl = await rejection(tfjs({ device: 'webgl' }).compile(tinyModel()));
    expect(webgl.code).toBe('DEVICE_UNAVAILABLE');
    expect(webgl.message).toBe('tfjs device "webgl" is not available: WebGL needs a browser; available here: wasm, cpu');
    const webgpu = await rejection(tfjs({ device: 'webgpu' }).compile(tinyModel()));
    expect(webgpu.message).toMatch(/^tfjs device "webgpu" is not available: this environment has no WebGPU .*; available here: wasm, cpu$/);
  });

  it('explains how to get the tensorflow device when tfjs-node is not installed', async () => {
    const e = await rejection(tfjs({ device: 'tensorflow' }).fit(tinyModel(), { x: { shape: [1, 4, 4, 1], data: new Float32Array(16) }, y: [0] }));
    expect(e.code).toBe('DEVICE_UNAVAILABLE');
    expect(e.message).toBe(
      'tfjs device "tensorflow" is not available: install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu; available here: wasm, cpu',
    );
  });

  it('rejects an unknown device name at once', () => {
    expect(() => tfjs({ device: 'gpu' as never })).toThrow(
      new ConvzooError('ARGUMENT_INVALID', 'unknown tfjs device "gpu"; expected one of: wasm, cpu, webgl, webgpu, tensorflow'),
    );
  });

  it('checks predict input with the shared core messages', async () => {
    const compiled = await tfjs({ device: 'cpu' }).compile(tinyModel());
    await expect(compiled.predict({ shape: [1, 4, 4, 2], data: new Float32Array(32) })).rejects.toThrow(
      'input shape [1, 4, 4, 2] does not match the model input [N, 4, 4, 1] (NHWC)',
    );
    await compiled.dispose();
    await expect(compiled.predict({ shape: [1, 4, 4, 1], data: new Float32Array(16) })).rejects.toThrow(/disposed/);
  });

  it('leaves tensors behind neither after 100 predicts nor after dispose', async () => {
    for (const device of ['cpu', 'wasm'] as const) {
      const before = tf.memory().numTensors;
      const compiled = await tfjs({ device }).compile(tinyModel());
      const loaded = tf.memory().numTensors;
      for (let i = 0; i < 100; i++) await compiled.predict({ shape: [2, 4, 4, 1], data: new Float32Array(32).fill(i / 100) });
      expect(tf.memory().numTensors).toBe(loaded);
      await compiled.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
