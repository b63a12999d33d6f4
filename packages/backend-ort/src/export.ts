/** @deprecated since 0.2: the ONNX exporter is in @convzoo/onnx; this subpath re-exports it for one minor version. */
export { exportOnnx, buildOnnx, BATCH_DIM, type ExportOptions, type Layout } from '@convzoo/onnx';
