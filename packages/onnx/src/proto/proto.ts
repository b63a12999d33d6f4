/**
 * The ONNX protobuf schema (onnx-proto: protobufjs static code, IR version 8) and the few
 * constants and conversions the exporter and importer share.
 */
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type ModelProto = Onnx.ModelProto;
export type GraphProto = Onnx.GraphProto;
export type NodeProto = Onnx.NodeProto;
export type TensorProto = Onnx.TensorProto;
export type INodeProto = Onnx.INodeProto;
export type ITensorProto = Onnx.ITensorProto;
export type IValueInfoProto = Onnx.IValueInfoProto;
export type IAttributeProto = Onnx.IAttributeProto;
export type IGraphProto = Onnx.IGraphProto;
export type IModelProto = Onnx.IModelProto;

/**
 * What the exporter writes: IR version 8 (ONNX 1.10+), default-domain opset 17 (ONNX 1.12+); a
 * model with a dilated AvgPool2D is written at opset 19, IR version 9 (see OnnxGraphBuilder.requireOpset).
 */
export const IR_VERSION = 8;
export const OPSET = 17;

export const DataType = onnx.TensorProto.DataType;
export const AttrType = onnx.AttributeProto.AttributeType;

/** int64 fields decode as Long objects (protobufjs 6) or numbers; both become numbers here. */
export function int(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
