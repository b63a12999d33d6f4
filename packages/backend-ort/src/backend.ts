/**
 * The ONNX Runtime backend: compiles a convzoo Model by exporting it to ONNX (NHWC input and
 * feature-map outputs, so predict keeps core's contract) and running it in onnxruntime-node.
 */
import {
  ConvzooError, GraphBuilder, Model, checkPredictInput,
  type Backend, type CompiledModel, type CompileOptions, type TensorData,
} from '@convzoo/core';
import { InferenceSession, Tensor, listSupportedBackends } from 'onnxruntime-node';
import { cudaStatus, ortBinaryDir, type CudaStatus } from './cuda.js';
import { exportOnnx } from './export/export.js';

export type OrtDevice = 'cpu' | 'cuda';
export const ORT_DEVICES: readonly OrtDevice[] = ['cpu', 'cuda'];

export interface OrtBackendOptions {
  /** 'cpu' (default) or 'cuda'; 'cuda' without ONNX Runtime's CUDA provider is an error. */
  readonly device?: OrtDevice;
  /** Intra-op threads (default: ONNX Runtime's choice, one per physical core). */
  readonly threads?: number;
  /**
   * Passed to InferenceSession.create over convzoo's settings, e.g.
   * `{ extra: { session: { intra_op: { allow_spinning: '0' } } } }` when sessions share a machine.
   */
  readonly sessionOptions?: InferenceSession.SessionOptions;
}

export interface OrtCompileOptions extends CompileOptions {
  /** Fold BatchNorm into the preceding Conv2D / Dense (default true). */
  readonly foldBatchNorm?: boolean;
}

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

class OrtCompiledModel implements CompiledModel {
  constructor(
    private readonly model: Model,
    private readonly session: InferenceSession,
    readonly device: OrtDevice,
  ) {}

  async predict(input: TensorData): Promise<TensorData[]> {
    const n = checkPredictInput(this.model, input);
    const feeds = { [this.model.graph.inputs[0]!]: new Tensor('float32', input.data, [n, ...this.model.inputShape]) };
    const results = await this.session.run(feeds);
    return this.model.graph.outputs.map((name) => {
      const t = results[name]!;
      return { shape: [...t.dims], data: t.data as Float32Array };
    });
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function checkOptions(opts: OrtBackendOptions): OrtDevice {
  const device = opts.device ?? 'cpu';
  if (!ORT_DEVICES.includes(device)) {
    throw new ConvzooError('ARGUMENT_INVALID', `ort device must be one of ${ORT_DEVICES.join(', ')}, got ${JSON.stringify(device)}`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new ConvzooError('ARGUMENT_INVALID', `threads must be a positive integer, got ${JSON.stringify(opts.threads)}`);
  }
  return device;
}

/** An ONNX Runtime backend for `device` ('cpu' by default). */
export function ort(opts: OrtBackendOptions = {}): Backend {
  const device = checkOptions(opts);
  return {
    name: 'ort',
    async devices() {
      return (await ortCudaStatus()).available ? ['cpu', 'cuda'] : ['cpu'];
    },
    async compile(model: Model, compileOpts: OrtCompileOptions = {}) {
      if (device === 'cuda') {
        const status = await ortCudaStatus();
        if (!status.available) throw new ConvzooError('DEVICE_UNAVAILABLE', `device 'cuda' requested: ${status.reason}`);
      }
      const bytes = exportOnnx(model, { inputLayout: 'nhwc', outputLayout: 'nhwc', foldBatchNorm: compileOpts.foldBatchNorm ?? true });
      const session = await InferenceSession.create(bytes, {
        executionProviders: [device],
        ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {}),
        ...opts.sessionOptions,
      });
      return new OrtCompiledModel(model, session, device);
    },
  };
}
