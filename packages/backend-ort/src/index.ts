export { ort, ortCudaStatus, ORT_DEVICES, type OrtBackendOptions, type OrtCompileOptions, type OrtDevice } from './backend.js';
export type { CudaStatus } from './cuda.js';
export { exportOnnx, buildOnnx, BATCH_DIM, type ExportOptions, type Layout } from './export/export.js';
export { IR_VERSION, OPSET } from './onnx/proto.js';
export { importOnnx, SUPPORTED_ONNX_OPS, type ImportOptions } from './import/import.js';
export { decodeOnnx, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo, type ExternalDataReader } from './onnx/decode.js';
export { importOnnxFile, exportOnnxFile, type OnnxFileOptions, type OnnxFiles } from './files.js';
