/**
 * convzoo Model -> ONNX ModelProto: IR version 8, opset 17, standard ai.onnx operators only,
 * explicit pads, dynamic batch dimension, NCHW inside the graph.
 */
import { ConvzooError, type Model, type NodeOf, type Shape } from '@convzoo/core';
import { checkProtobufLimit, concatChunks, encodeModel, type EncodedModel, type InitializerSource } from '../proto/encode.js';
import { DataType, type IModelProto } from '../proto/proto.js';
import { BATCH_DIM, OnnxGraphBuilder, type Dim } from '../graph-builder.js';
import { flattenPermutation } from '../layout.js';
import { EMITTERS, type EmitContext, type Value } from './ops/index.js';
import { applyPrecision, calibrationGraph, type ActivationRanges, type Precision } from '../precision/index.js';

export type Layout = 'nchw' | 'nhwc';

export interface ExportOptions {
  /** Layout of the exported input: 'nchw' (default, the ONNX / PyTorch convention) or 'nhwc' (convzoo's). */
  readonly inputLayout?: Layout;
  /** Layout of feature-map outputs ([N, F] outputs are the same either way). Default 'nchw'. */
  readonly outputLayout?: Layout;
  /** Fold each BatchNorm into the Conv2D or Dense before it (default true: inference). false keeps BatchNormalization nodes. */
  readonly foldBatchNorm?: boolean;
  /**
   * 'fp32' (default); 'fp16': Conv / Gemm / BatchNormalization weights stored as float16, read
   * through Casts (float32 inputs, outputs and compute); 'int8': static QDQ, which needs
   * `activationRanges`. Recorded in the file's metadata as `convzoo.precision`.
   */
  readonly precision?: Precision;
  /** int8 only: [min, max] per tensor, collected by running the graph `calibrationOnnx` writes. */
  readonly activationRanges?: ActivationRanges;
}

/** An input or output's dims: the batch, then [C, H, W] maps in NCHW. */
function dimsOf(shape: Shape, layout: Layout): Dim[] {
  return [BATCH_DIM, ...(shape.length === 3 && layout === 'nchw' ? [shape[2]!, shape[0]!, shape[1]!] : shape)];
}

/** BatchNorms that can fold into the Conv2D / Dense feeding them (its only consumer, not an output). */
function foldableBatchNorms(model: Model): Map<string, NodeOf<'BatchNorm'>> {
  const consumers = new Map<string, number>();
  for (const n of model.nodes) {
    if (model.isInferenceNode(n.name)) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  }
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  const folds = new Map<string, NodeOf<'BatchNorm'>>();
  for (const n of model.nodes) {
    if (n.op !== 'BatchNorm' || !model.isInferenceNode(n.name)) continue;
    const producer = byName.get(n.inputs[0]!)!;
    const fusable = producer.op === 'Conv2D' || producer.op === 'Dense';
    if (fusable && consumers.get(producer.name) === 1 && !model.graph.outputs.includes(producer.name)) folds.set(producer.name, n);
  }
  return folds;
}

/** The graph as ONNX structure (no initializers) plus its initializers as streaming sources. */
export function buildOnnx(model: Model, opts: ExportOptions = {}): { proto: IModelProto; initializers: InitializerSource[] } {
  return applyPrecision(buildFloat(model, opts), opts.precision, opts.activationRanges);
}

function buildFloat(model: Model, opts: ExportOptions): { proto: IModelProto; initializers: InitializerSource[] } {
  const inputLayout = opts.inputLayout ?? 'nchw';
  const outputLayout = opts.outputLayout ?? 'nchw';
  for (const [k, v] of [['inputLayout', inputLayout], ['outputLayout', outputLayout]] as const) {
    if (v !== 'nchw' && v !== 'nhwc') throw new ConvzooError('ARGUMENT_INVALID', `${k} must be 'nchw' or 'nhwc', got ${JSON.stringify(v)}`);
  }
  if (model.graph.inputs.length !== 1) {
    throw new ConvzooError('UNSUPPORTED', `ONNX export needs exactly one graph input, "${model.name}" has ${model.graph.inputs.length}`);
  }
  const g = new OnnxGraphBuilder();
  const folds = opts.foldBatchNorm === false ? new Map<string, NodeOf<'BatchNorm'>>() : foldableBatchNorms(model);
  const folded = new Set([...folds.values()].map((bn) => bn.name));
  // A pending NCHW flatten is put in channels-last order by one Gather (indices shared per shape).
  const restored = new Map<string, Value>();
  const plain = (v: Value): Value => {
    if (!v.flatFrom) return v;
    let out = restored.get(v.name);
    if (out === undefined) {
      const perm = flattenPermutation(v.flatFrom);
      const order: number[] = new Array(perm.length);
      perm.forEach((coreRow, onnxRow) => (order[coreRow] = onnxRow));
      const indices = g.int64s(`channels_last_order/${v.flatFrom.join('x')}`, order);
      out = { name: g.node('Gather', [v.name, indices], `${v.name}/channels_last`, { axis: { int: 1 } }) };
      restored.set(v.name, out);
    }
    return out;
  };
  const ctx: EmitContext = { model, g, foldedInto: (n) => folds.get(n), isFolded: (n) => folded.has(n), plain };

  const inputName = model.graph.inputs[0]!;
  const inputShape = model.inputShape;
  if (inputShape.length !== 3 && inputShape.length !== 1) {
    throw new ConvzooError('UNSUPPORTED', `ONNX export handles [H, W, C] or [F] inputs, got [${inputShape.join(', ')}]`);
  }
  g.input(inputName, DataType.FLOAT, dimsOf(inputShape, inputLayout));
  const values = new Map<string, Value>();
  values.set(
    inputName,
    inputShape.length === 3 && inputLayout === 'nhwc'
      ? { name: g.node('Transpose', [inputName], `${inputName}/nchw`, { perm: { ints: [0, 3, 1, 2] } }) }
      : { name: inputName },
  );
  for (const node of model.nodes) {
    if (node.op === 'Input' || !model.isInferenceNode(node.name)) continue;
    const emit = EMITTERS[node.op] as (n: typeof node, i: readonly Value[], c: EmitContext) => Value;
    values.set(node.name, emit(node, node.inputs.map((i) => values.get(i)!), ctx));
  }

  const rename = (from: string, to: string) => {
    g.renameValue(from, to);
    for (const [k, v] of values) if (v.name === from) values.set(k, { ...v, name: to });
  };
  for (const o of model.graph.outputs) {
    const shape = model.shapeOf(o);
    const transpose = shape.length === 3 && outputLayout === 'nhwc';
    const v = plain(values.get(o)!);
    if (v.name !== o || transpose) {
      // The output name may already hold an inner value (the NCHW map, a pending flatten): move it aside.
      if (g.produces(o)) rename(o, `${o}/inner`);
      const from = v.name === o ? `${o}/inner` : v.name;
      if (transpose) g.node('Transpose', [from], o, { perm: { ints: [0, 2, 3, 1] } }, `${o}/nhwc`);
      else g.node('Identity', [from], o, {}, `${o}/identity`);
    }
    g.output(o, o, DataType.FLOAT, dimsOf(shape, outputLayout));
  }
  const built = g.build(model.name);
  // The file says how images become its input, as torchvision's weights carry their transforms.
  if (model.preprocessing !== undefined) built.proto.metadataProps = [{ key: 'convzoo.preprocessing', value: JSON.stringify(model.preprocessing) }];
  return built;
}

/** Lays the model out as ONNX bytes, optionally with the weights in an external data file. */
export function encodeOnnx(model: Model, opts: ExportOptions = {}, externalData?: string): EncodedModel {
  const { proto, initializers } = buildOnnx(model, opts);
  return encodeModel(proto, initializers, externalData);
}

/**
 * Exports a model to ONNX bytes in memory (output plus weights: twice the weight bytes). For
 * large models prefer exportOnnxFile, which streams and handles models past 2 GiB.
 */
export function exportOnnx(model: Model, opts: ExportOptions = {}): Uint8Array {
  const encoded = encodeOnnx(model, opts);
  checkProtobufLimit(encoded);
  return concatChunks(encoded.size, encoded.chunks());
}

/**
 * The float32 graph int8 export calibrates on: NHWC input (convzoo's layout, as predict takes
 * it), `outputLayout` and `foldBatchNorm` as the int8 export will use them, and every tensor whose
 * range int8 needs as an extra output (`tensors`, the input among them). Run it on sample inputs
 * and pass each tensor's [min, max] over all of them as `activationRanges`.
 */
export function calibrationOnnx(model: Model, opts: Pick<ExportOptions, 'outputLayout' | 'foldBatchNorm'> = {}): { bytes: Uint8Array; tensors: string[] } {
  const { built, tensors } = calibrationGraph(buildFloat(model, { ...opts, inputLayout: 'nhwc' }));
  const encoded = encodeModel(built.proto, built.initializers);
  checkProtobufLimit(encoded);
  return { bytes: concatChunks(encoded.size, encoded.chunks()), tensors };
}
