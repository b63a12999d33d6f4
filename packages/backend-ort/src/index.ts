/**
 * @convzoo/backend-ort: convzoo models on ONNX Runtime in Node (onnxruntime-node: cpu, cuda).
 * The browser entry is `@convzoo/backend-ort/web`; ONNX export and import live in @convzoo/onnx.
 */
import { OrtBackend } from './common/backend.js';
import type { OrtOptions } from './common/options.js';
import { nodeRuntime, type OrtDevice } from './node.js';

export { OrtBackend } from './common/backend.js';
export { OrtCompiledModel } from './common/compiled-model.js';
export type { OrtCompileOptions, OrtOptions } from './common/options.js';
export type { CalibrateOptions } from './common/calibrate.js';
export type { OrtRuntime } from './common/runtime.js';
export { ortCudaStatus, ORT_DEVICES, type OrtDevice } from './node.js';
export type { CudaStatus } from './cuda.js';

export type OrtBackendOptions = OrtOptions<OrtDevice>;

/**
 * An ONNX Runtime backend on `device` ('cpu' by default; 'cuda' without ONNX Runtime's CUDA
 * provider is a DEVICE_UNAVAILABLE error with the reason, never a CPU fallback): compile /
 * predict, and fit / evaluate through generated ONNX training-step graphs.
 */
export function ort(opts: OrtBackendOptions = {}): OrtBackend<OrtDevice> {
  return new OrtBackend(nodeRuntime, opts);
}

// Deprecated since 0.2: the ONNX codec moved to @convzoo/onnx (files to @convzoo/onnx/node).
// Re-exported for one minor version so existing imports keep working.
export {
  /** @deprecated import from @convzoo/onnx */ exportOnnx,
  /** @deprecated import from @convzoo/onnx */ buildOnnx,
  /** @deprecated import from @convzoo/onnx */ importOnnx,
  /** @deprecated import from @convzoo/onnx */ decodeOnnx,
  /** @deprecated import from @convzoo/onnx */ SUPPORTED_ONNX_OPS,
  /** @deprecated import from @convzoo/onnx */ BATCH_DIM,
  /** @deprecated import from @convzoo/onnx */ IR_VERSION,
  /** @deprecated import from @convzoo/onnx */ OPSET,
  type ExportOptions, type Layout, type ImportOptions, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo, type ExternalDataReader,
} from '@convzoo/onnx';
export {
  /** @deprecated import from @convzoo/onnx/node */ importOnnxFile,
  /** @deprecated import from @convzoo/onnx/node */ exportOnnxFile,
  type OnnxFileOptions, type OnnxFiles,
} from '@convzoo/onnx/node';
