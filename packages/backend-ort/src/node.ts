/** onnxruntime-node as the runtime: cpu, and cuda where ONNX Runtime's CUDA provider really starts. */
import { ConvzooError, GraphBuilder, Model } from '@convzoo/core';
import { exportOnnx } from '@convzoo/onnx';
import { InferenceSession, listSupportedBackends, Tensor } from 'onnxruntime-node';
import type { OrtRuntime } from './common/runtime.js';
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

export const nodeRuntime: OrtRuntime<OrtDevice> = {
  InferenceSession,
  Tensor,
  fillsPreallocatedOutputs: true,
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
