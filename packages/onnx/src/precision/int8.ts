/**
 * int8 export: static QDQ in ONNX Runtime's recommended form (QuantizeLinear / DequantizeLinear
 * pairs, which ORT fuses into QLinearConv, QGemm, QLinearAdd, QLinearConcat, ...):
 *
 * - weights of Conv and Gemm: int8 in 7 bits (WEIGHT_LEVELS), symmetric, per output channel
 *   (axis 0 of OIHW; Gemm's B [in, out] on axis 1); biases int32 with scale input_scale * weight_scale[c], zero point 0;
 * - activations: uint8, asymmetric, per tensor, from calibrated [min, max] ranges (widened to
 *   hold 0): the inputs and outputs of Conv, Gemm, Add, Concat, MaxPool, AveragePool and
 *   GlobalAveragePool. An output read only by a Relu is quantized after the Relu (ORT removes
 *   the Relu, as the zero point clamps); MaxPool, Transpose, Gather, Flatten, Reshape, Identity
 *   and Squeeze pass their input's range on, so MaxPool's Q/DQ can be dropped by ORT.
 * - graph outputs stay float32 and unquantized (logits keep their precision).
 *
 * The ranges come from running the float32 graph over calibration inputs (a runtime's job:
 * `calibrationOnnx` writes that graph, `@convzoo/backend-ort` runs it); here they are data.
 */
import { ConvzooError } from '@convzoo/core';
import { AttrType, DataType, type INodeProto } from '../proto/proto.js';
import { floatValues, namer, nodesOf, rawInitializer, readersOf, type Built, withoutUnread } from './built.js';

/** [min, max] of each calibrated tensor, by ONNX value name (calibrationOnnx says which). */
export type ActivationRanges = Readonly<Record<string, readonly [number, number]>>;

/** Operators whose activation inputs and output are quantized. */
const QUANTIZED_OPS = new Set(['Conv', 'Gemm', 'Add', 'Concat', 'MaxPool', 'AveragePool', 'GlobalAveragePool']);
/** Operators whose output takes its input's range (a permutation, or a max over it). */
const RANGE_PASSING = new Set(['MaxPool', 'Transpose', 'Gather', 'Flatten', 'Reshape', 'Identity', 'Squeeze']);
/** ONNX Runtime fuses a quantized AveragePool into QLinearAveragePool, which has no dilations: a dilated one stays float. */
const quantizable = (n: INodeProto): boolean =>
  QUANTIZED_OPS.has(n.opType!) && !(n.opType === 'AveragePool' && n.attribute!.some((a) => a.name === 'dilations'));
/** The activation inputs of each quantized op (the others are weights, shapes or indices). */
const activationInputs = (n: INodeProto): readonly string[] => (n.opType === 'Add' || n.opType === 'Concat' ? n.input! : n.input!.slice(0, 1));

interface Analysis {
  /** Tensors to quantize, in no particular order. */
  readonly tensors: ReadonlySet<string>;
  /** The tensor whose range a tensor takes (itself, or a range-passing op's input, recursively). */
  rangeSource(t: string): string;
}

function analyse(b: Built): Analysis {
  const nodes = nodesOf(b);
  const readers = readersOf(nodes);
  const producer = new Map<string, INodeProto>();
  for (const n of nodes) for (const o of n.output!) producer.set(o, n);
  const inits = new Set(b.initializers.map((i) => i.name));
  const outputs = new Set(b.proto.graph!.output!.map((o) => o.name!));
  const tensors = new Set<string>();
  const add = (t: string) => {
    if (t !== '' && !inits.has(t) && !outputs.has(t)) tensors.add(t);
  };
  for (const n of nodes) {
    if (!quantizable(n)) continue;
    for (const i of activationInputs(n)) add(i);
    const out = n.output![0]!;
    const r = readers.get(out) ?? [];
    add(r.length === 1 && r[0]!.opType === 'Relu' && !outputs.has(out) ? r[0]!.output![0]! : out);
  }
  // Taken now: the rewrite later points inputs at dequantized values.
  const passes = new Map<string, string>();
  for (const [t, p] of producer) if (RANGE_PASSING.has(p.opType!) && !inits.has(p.input![0]!)) passes.set(t, p.input![0]!);
  const rangeSource = (t: string): string => {
    const from = passes.get(t);
    return from === undefined ? t : rangeSource(from);
  };
  return { tensors, rangeSource };
}

/**
 * The float32 graph with every tensor whose range int8 export needs added as a graph output
 * (`tensors`, the graph input among them). Run it over calibration inputs, take each output's
 * [min, max] across all of them, and pass those as `activationRanges`.
 */
export function calibrationGraph(b: Built): { built: Built; tensors: string[] } {
  const { tensors, rangeSource } = analyse(b);
  const graph = b.proto.graph!;
  const sources = new Set([...tensors].map(rangeSource));
  for (const i of graph.input!) sources.add(i.name!);
  const existing = new Set(graph.output!.map((o) => o.name!));
  for (const t of sources) if (!existing.has(t)) graph.output!.push({ name: t, type: { tensorType: { elemType: DataType.FLOAT } } });
  return { built: b, tensors: [...sources].sort() };
}

/** uint8 asymmetric parameters for [min, max], widened to hold 0 (so 0 and a ReLU are exact). */
function activationParams([lo, hi]: readonly [number, number]): { scale: number; zeroPoint: number } {
  const min = Math.min(lo, 0);
  const max = Math.max(hi, 0);
  const scale = max > min ? (max - min) / 255 : 1;
  return { scale: Math.fround(scale), zeroPoint: Math.min(255, Math.max(0, Math.round(-min / scale))) };
}

/**
 * Weights use 7 bits (+-63), ONNX Runtime's `reduce_range`: on x86 CPUs without VNNI its u8s8
 * kernels multiply with VPMADDUBSW, whose int16 sums of two uint8 x int8 products saturate at
 * full range (a seeded LeNet-5's logits 0.22 off fp32 on an AVX2-only EPYC, against 0.04 with 7
 * bits); the file then computes the same on every CPU.
 */
const WEIGHT_LEVELS = 63;

/** Symmetric int8 per channel along `axis` of a rank-2 or rank-4 weight. */
function quantizeWeight(values: Float32Array, dims: readonly number[], axis: number): { q: Int8Array; scales: Float32Array } {
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, d) => a * d, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const maxAbs = new Float32Array(channels);
  values.forEach((v, i) => (maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)]!, Math.abs(v))));
  const scales = maxAbs.map((m) => (m > 0 ? m / WEIGHT_LEVELS : 1));
  const q = new Int8Array(values.length);
  values.forEach((v, i) => (q[i] = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, Math.round(v / scales[channelOf(i)]!)))));
  return { q, scales };
}

export function toInt8(b: Built, ranges: ActivationRanges): Built {
  const { tensors, rangeSource } = analyse(b);
  const unique = namer(b);
  const inits = new Map(b.initializers.map((i) => [i.name, i]));
  const added = [...b.initializers];
  const scalar = (name: string, dataType: number, data: ArrayBufferView) => {
    const n = unique(name);
    added.push(rawInitializer(n, dataType, [], data));
    return n;
  };
  const params = new Map<string, { scale: number; zeroPoint: number; names: [string, string] }>();
  const paramsOf = (t: string) => {
    let p = params.get(t);
    if (p === undefined) {
      const source = rangeSource(t);
      const range = ranges[source];
      if (range === undefined || range.length !== 2 || !range.every(Number.isFinite) || range[0] > range[1]) {
        throw new ConvzooError('ARGUMENT_INVALID', `int8 export needs a finite [min, max] calibration range for tensor "${source}", got ${JSON.stringify(range)} (collect them on the graph calibrationOnnx writes for the same model and options)`);
      }
      const ap = activationParams(range);
      p = { ...ap, names: [scalar(`${t}/scale`, DataType.FLOAT, Float32Array.of(ap.scale)), scalar(`${t}/zero_point`, DataType.UINT8, Uint8Array.of(ap.zeroPoint))] };
      params.set(t, p);
    }
    return p;
  };
  const dequantized = new Map<string, string>();
  const qdq = (t: string): INodeProto[] => {
    const { names } = paramsOf(t);
    const q = unique(`${t}/quantized`);
    const dq = unique(`${t}/dequantized`);
    dequantized.set(t, dq);
    return [
      { name: q, opType: 'QuantizeLinear', input: [t, ...names], output: [q] },
      { name: dq, opType: 'DequantizeLinear', input: [q, ...names], output: [dq] },
    ];
  };
  const axisAttr = (axis: number) => [{ name: 'axis', type: AttrType.INT, i: axis }];
  /** DequantizeLinear nodes for a Conv / Gemm's weight and bias, rewiring the node to read them. */
  const weightNodes = (node: INodeProto, x: string): INodeProto[] => {
    const w = inits.get(node.input![1] ?? '');
    if (w === undefined || w.dataType !== DataType.FLOAT) return [];
    const transB = node.attribute?.find((a) => a.name === 'transB')?.i;
    const axis = node.opType === 'Gemm' && !transB ? 1 : 0;
    const { q, scales } = quantizeWeight(floatValues(w), w.dims, axis);
    const channels = scales.length;
    const qName = unique(`${w.name}/int8`);
    const sName = unique(`${w.name}/scale`);
    const zName = unique(`${w.name}/zero_point`);
    added.push(rawInitializer(qName, DataType.INT8, w.dims, q), rawInitializer(sName, DataType.FLOAT, [channels], scales),
      rawInitializer(zName, DataType.INT8, [channels], new Int8Array(channels)));
    const wOut = unique(`${w.name}/dequantized`);
    const out: INodeProto[] = [{ name: wOut, opType: 'DequantizeLinear', input: [qName, sName, zName], output: [wOut], attribute: axisAttr(axis) }];
    node.input![1] = wOut;
    const bias = inits.get(node.input![2] ?? '');
    if (bias !== undefined && bias.dataType === DataType.FLOAT && bias.dims.length === 1 && bias.dims[0] === channels && tensors.has(x)) {
      const inputScale = paramsOf(x).scale;
      const bScales = scales.map((s) => s * inputScale);
      const bq = Int32Array.from(floatValues(bias), (v, c) => Math.max(-(2 ** 31) + 1, Math.min(2 ** 31 - 1, Math.round(v / bScales[c]!))));
      const bqName = unique(`${bias.name}/int32`);
      const bsName = unique(`${bias.name}/scale`);
      const bzName = unique(`${bias.name}/zero_point`);
      added.push(rawInitializer(bqName, DataType.INT32, bias.dims, bq), rawInitializer(bsName, DataType.FLOAT, [channels], bScales),
        rawInitializer(bzName, DataType.INT32, [channels], new Int32Array(channels)));
      const bOut = unique(`${bias.name}/dequantized`);
      out.push({ name: bOut, opType: 'DequantizeLinear', input: [bqName, bsName, bzName], output: [bOut], attribute: axisAttr(0) });
      node.input![2] = bOut;
    }
    return out;
  };

  const graph = b.proto.graph!;
  const out: INodeProto[] = [];
  for (const i of graph.input!) if (tensors.has(i.name!)) out.push(...qdq(i.name!));
  for (const node of nodesOf(b)) {
    const x = node.input![0] ?? '';
    // Readers take the dequantized value (rewired before the node's own Q/DQ pairs are made).
    node.input = node.input!.map((i) => dequantized.get(i) ?? i);
    if (node.opType === 'Conv' || node.opType === 'Gemm') out.push(...weightNodes(node, x));
    out.push(node);
    for (const o of node.output!) if (tensors.has(o)) out.push(...qdq(o));
  }
  graph.node = out;
  return withoutUnread({ proto: b.proto, initializers: added });
}
