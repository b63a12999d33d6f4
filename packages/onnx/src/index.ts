/**
 * @convzoo/onnx: convzoo graphs to and from standard ONNX, with no runtime attached. Runs in
 * Node and browsers (file helpers are on `@convzoo/onnx/node`, training-step graphs on
 * `@convzoo/onnx/train`).
 */
export { exportOnnx, buildOnnx, encodeOnnx, calibrationOnnx, type ExportOptions, type Layout } from './export/export.js';
export { PRECISIONS, INT8_SCHEME, checkPrecision, halfBits, halfValue, type ActivationRanges, type Precision } from './precision/index.js';
export { importOnnx, SUPPORTED_ONNX_OPS, type ImportOptions } from './import/import.js';
export { decodeOnnx, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo, type ExternalDataReader, type AttrValue } from './proto/decode.js';
export { encodeModel, checkProtobufLimit, concatChunks, PROTOBUF_LIMIT, type EncodedModel, type InitializerSource } from './proto/encode.js';
export { IR_VERSION, OPSET, DataType, onnx, type IModelProto, type ITensorProto } from './proto/proto.js';
export { BATCH_DIM, PRODUCER, OnnxGraphBuilder, type Attr, type Attrs, type Dim } from './graph-builder.js';
export { floatInitializer, int64Initializer, vectorRows, type FloatRows } from './initializers.js';
export { flattenPermutation, flattenOrdersAgree, hwioToOihw, oihwToHwio } from './layout.js';
export { geometry, windowAttrs, type WindowGeometry } from './window.js';
