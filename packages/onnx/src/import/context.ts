/**
 * What the importer knows about each ONNX value, and the shared state of one import: the
 * convzoo graph being built, its weights, and checked attribute access.
 */
import { GraphError, type GraphBuilder, type OpAttrs, type OpName, type SymbolicTensor, type TensorMap } from '@convzoo/core';
import type { AttrValue, OnnxModel, OnnxNode, OnnxTensor } from '../proto/decode.js';

/**
 * An ONNX value seen from convzoo. Tensors are backed by a convzoo node; the kind says how the
 * ONNX layout relates to convzoo's channels-last one.
 */
export type Imported =
  /** ONNX [N, C, H, W]; the node is [H, W, C]. */
  | { readonly kind: 'map'; readonly node: SymbolicTensor }
  /** ONNX [N, H, W, C] (an NHWC graph input, or a map transposed back to NHWC). */
  | { readonly kind: 'map_nhwc'; readonly node: SymbolicTensor }
  /** ONNX [N, F]; the node is [F] in the same order. */
  | { readonly kind: 'vec'; readonly node: SymbolicTensor }
  /** ONNX [N, C, 1, 1] from a global pool; the node is [C]. */
  | { readonly kind: 'pooled'; readonly node: SymbolicTensor }
  /**
   * ONNX [N, C*H*W] flattened from an NCHW [C, H, W] map: a permutation of the node's
   * channels-last flatten (a following Gemm absorbs it, a Gather can undo it).
   */
  | { readonly kind: 'flat'; readonly node: SymbolicTensor; readonly from: readonly [number, number, number] }
  /** An initializer or Constant. */
  | { readonly kind: 'const'; readonly tensor: OnnxTensor }
  /** A small integer vector computed from shapes ('N' is the batch size), for Reshape targets. */
  | { readonly kind: 'shape'; readonly values: readonly (number | 'N')[]; readonly scalar: boolean }
  /** Pending parts of LeNet's 1.7159 * tanh(2x / 3): Mul by a constant, then Tanh of that. */
  | { readonly kind: 'scaled'; readonly of: TensorValue; readonly factor: number }
  | { readonly kind: 'tanh_scaled'; readonly of: TensorValue; readonly factor: number }
  /** A QuantizeLinear of a tensor, waiting for its DequantizeLinear (the pair is dropped). */
  | { readonly kind: 'quantized'; readonly of: TensorValue };

export type TensorValue = Extract<Imported, { node: SymbolicTensor }>;

export class ImportContext {
  readonly weights: TensorMap = new Map();
  private readonly used = new Set<string>();
  /** Nodes writing these keep the output's name, so a re-export keeps it too. */
  private readonly graphOutputs: ReadonlySet<string>;
  private readonly readers = new Map<string, OnnxNode[]>();
  /** Add nodes whose constant a MatMul already took as its Dense bias. */
  private readonly absorbed = new Set<OnnxNode>();

  constructor(readonly g: GraphBuilder, readonly opset: number, private readonly graph: OnnxModel['graph']) {
    this.graphOutputs = new Set(graph.outputs.map((o) => o.name));
    for (const n of graph.nodes) for (const i of n.inputs) this.readers.set(i, [...(this.readers.get(i) ?? []), n]);
  }

  /**
   * The bias of MatMul + Add (tf2onnx's Dense): when the node's only reader is an Add of an
   * initializer with `units` values, those values and that Add, which then passes its input through.
   */
  takeBias(node: OnnxNode, units: number): { bias: Float32Array; add: OnnxNode } | undefined {
    const out = node.outputs[0] ?? '';
    const readers = this.readers.get(out) ?? [];
    const next = readers[0];
    if (readers.length !== 1 || this.graphOutputs.has(out) || next!.opType !== 'Add' || next!.domain !== '' || next!.inputs.length !== 2) return undefined;
    const bias = this.graph.initializers.get(next!.inputs[next!.inputs[0] === out ? 1 : 0]!);
    if (bias === undefined || bias.dims.reduce((p, d) => p * d, 1) !== units || bias.dims.slice(0, -1).some((d) => d !== 1)) return undefined;
    this.absorbed.add(next!);
    return { bias: bias.floats(), add: next! };
  }

  isAbsorbed(node: OnnxNode): boolean {
    return this.absorbed.has(node);
  }

  /** A unique convzoo node name from an ONNX node (names may hold '/', be empty or repeat). */
  nodeName(node: OnnxNode): string {
    const output = node.outputs[0] ?? '';
    return this.unique((this.graphOutputs.has(output) ? output : node.name) || output, node.opType.toLowerCase());
  }


  /** `name` with '/' (convzoo's weight-name separator) turned into '.', made unique. */
  unique(name: string, fallback: string): string {
    const base = name.replace(/\//g, '.').replace(/^\.+|\.+$/g, '') || fallback;
    let out = base;
    for (let i = 2; this.used.has(out); i++) out = `${base}_${i}`;
    this.used.add(out);
    return out;
  }

  add<K extends OpName>(node: OnnxNode, op: K, inputs: readonly SymbolicTensor[], attrs: OpAttrs[K], weights: Record<string, { shape: readonly number[]; data: Float32Array }> = {}): SymbolicTensor {
    const name = this.nodeName(node);
    const out = this.g.node(op, inputs, attrs, name);
    for (const [param, t] of Object.entries(weights)) this.weights.set(`${name}/${param}`, { shape: [...t.shape], data: t.data });
    return out;
  }
}

/** An error about one ONNX node, naming it and its operator. */
export function nodeError(node: OnnxNode, message: string, code: 'GRAPH_INVALID' | 'UNSUPPORTED' = 'GRAPH_INVALID'): GraphError {
  return new GraphError(`(ONNX ${node.opType}) ${message}`, node.name || node.outputs[0] || node.opType, code);
}

/**
 * The one-line refusal of an attribute (or attribute-like input) value convzoo cannot express:
 * it names the node, the operator, the attribute, its value and why.
 */
export function refuse(node: OnnxNode, attribute: string, value: unknown, why: string): GraphError {
  return nodeError(node, `${attribute} ${JSON.stringify(value)} is not supported: ${why}`, 'UNSUPPORTED');
}

/** Checked attribute access with ONNX defaults. */
export class Attrs {
  constructor(private readonly node: OnnxNode) {}

  private get(name: string): AttrValue | undefined {
    return this.node.attrs.get(name);
  }

  int(name: string, fallback?: number): number {
    const v = this.get(name) ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw nodeError(this.node, `attribute ${name} must be an integer, got ${JSON.stringify(v)}`);
    return v;
  }

  float(name: string, fallback?: number): number {
    const v = this.get(name) ?? fallback;
    if (typeof v !== 'number') throw nodeError(this.node, `attribute ${name} must be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  ints(name: string, fallback?: readonly number[]): readonly number[] {
    const v = this.get(name) ?? fallback;
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw nodeError(this.node, `attribute ${name} must be a list of integers, got ${JSON.stringify(v)}`);
    return v;
  }

  string(name: string, fallback: string): string {
    const v = this.get(name) ?? fallback;
    if (typeof v !== 'string') throw nodeError(this.node, `attribute ${name} must be a string, got ${JSON.stringify(v)}`);
    return v;
  }

  has(name: string): boolean {
    return this.node.attrs.has(name);
  }

  tensor(name: string): OnnxTensor | undefined {
    const v = this.get(name);
    return typeof v === 'object' && !Array.isArray(v) ? (v as OnnxTensor) : undefined;
  }
}
