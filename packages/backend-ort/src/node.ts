/** onnxruntime-node as the runtime: cpu, and cuda where ONNX Runtime's CUDA provider really starts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConvzooError, GraphBuilder, Model } from '@convzoo/core';
import { exportOnnx, type ExportOptions } from '@convzoo/onnx';
import { exportOnnxFile } from '@convzoo/onnx/node';
import { NCHWC_PROBE, nchwcBlockOf, nchwcProbeGraph } from '@convzoo/onnx/train';
import { InferenceSession, listSupportedBackends, Tensor } from 'onnxruntime-node';
import type { OrtRuntime, StagedModel } from './common/runtime.js';
import { cudaStatus, ortBinaryDir, type CudaStatus } from './cuda.js';

export type OrtDevice = 'cpu' | 'cuda';
export const ORT_DEVICES: readonly OrtDevice[] = ['cpu', 'cuda'];

let cuda: Promise<CudaStatus> | undefined;

/** Cached: the probe starts a CUDA session once per process. */
export function ortCudaStatus(): Promise<CudaStatus> {
  cuda ??= cudaStatus(
    listSupportedBackends().some((b) => b.name === 'cuda'),
    ortBinaryDir(),
    async () => {
      const g = new GraphBuilder('cuda_probe');
      const model = Model.init(g.build([g.relu(g.input([1]))]));
      const session = await InferenceSession.create(exportOnnx(model), { executionProviders: ['cuda'] });
      await session.release();
    },
  );
  return cuda;
}

let nchwc: Promise<number | undefined> | undefined;

/**
 * Cached: ONNX Runtime's NCHWc channel block on this CPU (8 with AVX2, 16 with AVX-512), read
 * from one ReorderInput run; undefined where its blocked kernels are missing.
 */
export function ortNchwcBlock(): Promise<number | undefined> {
  nchwc ??= (async () => {
    let session: InferenceSession | undefined;
    try {
      session = await InferenceSession.create(nchwcProbeGraph());
      const { input, dims, output } = NCHWC_PROBE;
      const out = await session.run({ [input]: new Tensor('float32', new Float32Array(4), [...dims]) });
      return nchwcBlockOf(out[output]!.dims);
    } catch {
      // A build without the com.microsoft.nchwc kernels: training convolves with plain Conv.
      return undefined;
    } finally {
      await session?.release();
    }
  })();
  return nchwc;
}

/** Models with more weight bytes than this open from a file (see OrtRuntime.stage); smaller ones from bytes, which is faster. */
export const STAGE_MIN_WEIGHT_BYTES = 64 * 2 ** 20;

/** A temporary ONNX file with external data; undefined when the disk has no room (bytes then). */
function stage(model: Model, opts: ExportOptions): StagedModel | undefined {
  const bytes = model.paramEntries().reduce((n, p) => n + 4 * p.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes < STAGE_MIN_WEIGHT_BYTES) return undefined;
  let dir: string | undefined;
  const dispose = () => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    dir = mkdtempSync(join(tmpdir(), 'convzoo-ort-'));
    return { path: exportOnnxFile(model, join(dir, 'model.onnx'), { ...opts, externalData: true }).model, dispose };
  } catch {
    // No temporary folder, no room or no write access there: bytes work too, at a higher peak.
    dispose();
    return undefined;
  }
}

export const nodeRuntime: OrtRuntime<OrtDevice> = {
  InferenceSession,
  Tensor,
  fillsPreallocatedOutputs: true,
  stage,
  nchwcBlock: ortNchwcBlock,
  devices: ORT_DEVICES,
  async available() {
    return (await ortCudaStatus()).available ? ['cpu', 'cuda'] : ['cpu'];
  },
  async ensureDevice(device) {
    if (device !== 'cuda') return;
    const status = await ortCudaStatus();
    if (!status.available) throw new ConvzooError('DEVICE_UNAVAILABLE', `device 'cuda' requested: ${status.reason}`);
  },
};
