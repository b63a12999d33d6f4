import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, Model, isConvzooError, maxRelDiff } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { CUDA_PROVIDER_LIBRARIES, cudaStatus } from '../cuda.js';
import { ort, ortCudaStatus } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'convzoo-ort-cuda-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tiny(): Model {
  const g = new GraphBuilder('tiny');
  return Model.init(g.build([g.conv2d(g.input([5, 5, 2]), { filters: 3, kernelSize: 3, padding: 'same', name: 'conv' })]), 1);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('ort backend', () => {
  it('runs on cpu and says so; predict keeps core\'s NHWC contract', async () => {
    const compiled = await ort({ threads: 1 }).compile(tiny());
    expect(compiled.device).toBe('cpu');
    const x = randomInput([3, 5, 5, 2], 1);
    const [y] = await compiled.predict(x);
    expect(y!.shape).toEqual([3, 5, 5, 3]);
    expect(maxRelDiff(y!.data, referencePredict(tiny(), x)[0]!.data)).toBeLessThan(1e-6);
    await compiled.dispose();
  });

  it('checks predict inputs and options the way core words them', async () => {
    const compiled = await ort().compile(tiny());
    const e = await rejection(compiled.predict({ shape: [1, 5, 5, 3], data: new Float32Array(75) }));
    expect(isConvzooError(e) && e.code).toBe('ARGUMENT_INVALID');
    expect(e.message).toMatch(/input shape \[1, 5, 5, 3\] does not match the model input \[N, 5, 5, 2\] \(NHWC\)/);
    await compiled.dispose();
    expect(() => ort({ device: 'tpu' as 'cpu' })).toThrow(/ort device must be one of cpu, cuda, got "tpu"/);
    expect(() => ort({ threads: 0 })).toThrow(/threads must be a positive integer, got 0/);
  });

  it('devices() lists cuda exactly when the CUDA provider really starts', async () => {
    const status = await ortCudaStatus();
    expect(await ort().devices()).toEqual(status.available ? ['cpu', 'cuda'] : ['cpu']);
  });

  it("'cuda' without the CUDA provider is a clear error, never a CPU fallback (with it: runs on cuda)", async () => {
    const status = await ortCudaStatus();
    const attempt = ort({ device: 'cuda' }).compile(tiny());
    if (status.available) {
      const compiled = await attempt;
      expect(compiled.device).toBe('cuda');
      const x = randomInput([2, 5, 5, 2], 2);
      expect(maxRelDiff((await compiled.predict(x))[0]!.data, referencePredict(tiny(), x)[0]!.data)).toBeLessThan(1e-4);
      await compiled.dispose();
      return;
    }
    const e = await rejection(attempt);
    expect(isConvzooError(e) && e.code).toBe('DEVICE_UNAVAILABLE');
    expect(e.message).toMatch(/^device 'cuda' requested: /);
    expect(e.message).toContain(status.reason);
    expect(e.message).toMatch(/--onnxruntime-node-install=cuda12/);
  });
});

describe('CUDA provider detection', () => {
  const never = () => Promise.reject(new Error('probe must not run'));

  it('a build without CUDA', async () => {
    const s = await cudaStatus(false, dir, never);
    expect(s.available).toBe(false);
    expect(!s.available && s.reason).toMatch(/this onnxruntime-node build has no CUDA execution provider/);
  });

  it('provider libraries missing: names them, the folder and the install command', async () => {
    const s = await cudaStatus(true, dir, never);
    expect(!s.available && s.reason).toMatch(
      new RegExp(`CUDA execution provider is not installed: libonnxruntime_providers_shared\\.so and libonnxruntime_providers_cuda\\.so missing from ${dir}\\. .*--onnxruntime-node-install=cuda12.*CUDA 12 and cuDNN 9`),
    );
  });

  it('libraries present but the provider fails to start (no GPU, no CUDA runtime): ONNX Runtime\'s reason', async () => {
    for (const lib of CUDA_PROVIDER_LIBRARIES) writeFileSync(join(dir, lib), '');
    const s = await cudaStatus(true, dir, () => Promise.reject(new Error('libcudart.so.12: cannot open shared object file ')));
    expect(!s.available && s.reason).toMatch(/failed to start: libcudart\.so\.12: cannot open shared object file\. Install it/);
    expect(await cudaStatus(true, dir, () => Promise.resolve())).toEqual({ available: true });
  });
});
