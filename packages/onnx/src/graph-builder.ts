/**
 * The one ONNX graph writer behind export and the generated training graphs: nodes with unique
 * value names, attributes, graph inputs and outputs, named (streamed) initializers and constants
 * shared by value.
 */
import { concatChunks, encodeModel, type EncodedModel, type InitializerSource } from './proto/encode.js';
import { AttrType, DataType, IR_VERSION, OPSET, type IAttributeProto, type IModelProto, type INodeProto, type IValueInfoProto } from './proto/proto.js';
import { floatInitializer, int64Initializer, vectorRows, type FloatRows } from './initializers.js';

/** The name of the batch dimension in every graph convzoo writes. */
export const BATCH_DIM = 'N';

/** producer_name of every model convzoo writes. */
export const PRODUCER = 'convzoo';

export type Attr =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly str: string };

export type Attrs = Readonly<Record<string, Attr>>;

/** A dimension of a graph input or output: a size, or a named one (the batch dimension, BATCH_DIM). */
export type Dim = number | string;

function attribute(name: string, a: Attr): IAttributeProto {
  if ('int' in a) return { name, type: AttrType.INT, i: a.int };
  if ('float' in a) return { name, type: AttrType.FLOAT, f: a.float };
  if ('str' in a) return { name, type: AttrType.STRING, s: new TextEncoder().encode(a.str) };
  return { name, type: AttrType.INTS, ints: [...a.ints] };
}

function valueInfo(name: string, elemType: number, dims: readonly Dim[]): IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** [1, ..., 1] of `rank` entries: the dims of one value that broadcasts at that rank (see OnnxGraphBuilder.scalar). */
/**
 * Drops each Identity that publishes a value some node writes (not a graph input, an initializer
 * or another output): that node writes the output's name instead and its readers read it. ONNX
 * Runtime copies the tensor for every such Identity (a training step's 62 in ResNet-18: 13 ms).
 */
function withoutOutputIdentities(nodes: INodeProto[], outputs: ReadonlySet<string>): void {
  for (let i = 0; i < nodes.length; i++) {
    const identity = nodes[i]!;
    const [from, to] = [identity.input![0]!, identity.output![0]!];
    if (identity.opType !== 'Identity' || !outputs.has(to) || outputs.has(from)) continue;
    const producer = nodes.find((n) => n.output!.includes(from));
    if (producer === undefined) continue;
    producer.output = producer.output!.map((v) => (v === from ? to : v));
    for (const n of nodes) n.input = n.input!.map((v) => (v === from ? to : v));
    nodes.splice(i--, 1);
  }
}

export const unitDims = (rank: number): number[] => Array<number>(rank).fill(1);

export class OnnxGraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: InitializerSource[] = [];
  private readonly inputs: IValueInfoProto[] = [];
  private readonly outputs: IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();
  /** Operator sets beyond the default domain that nodes use, by domain. */
  private readonly domains = new Map<string, number>();
  private opset = OPSET;

  /**
   * Raises the model's opset for a form opset 17 cannot write (AveragePool's dilations, 19);
   * every other node keeps its opset-17 form, which later opsets read the same.
   */
  requireOpset(version: number): void {
    this.opset = Math.max(this.opset, version);
  }

  /** `base`, or `base_2`, `base_3`... if taken. */
  unique(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    return name;
  }

  /**
   * Adds a node with `outputs` results, the first named `name` (made unique), the others
   * `name:1`...; the node itself is called `nodeName` (default: its first output).
   */
  nodeN(opType: string, inputs: readonly string[], name: string, attrs: Attrs = {}, outputs = 1, nodeName?: string): string[] {
    const first = this.unique(name);
    const out = [first, ...Array.from({ length: outputs - 1 }, (_, i) => this.unique(`${name}:${i + 1}`))];
    this.nodes.push({
      name: nodeName ?? first,
      opType,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Adds a node writing one value named after `name`; returns the value's name. */
  node(opType: string, inputs: readonly string[], name: string, attrs: Attrs = {}, nodeName?: string): string {
    return this.nodeN(opType, inputs, name, attrs, 1, nodeName)[0]!;
  }

  /**
   * Adds a node of an operator set outside the default domain (ONNX Runtime's
   * com.microsoft.nchwc), importing that domain at `version`.
   */
  domainNode(domain: string, version: number, opType: string, inputs: readonly string[], name: string, attrs: Attrs = {}): string {
    this.domains.set(domain, Math.max(version, this.domains.get(domain) ?? 0));
    const value = this.node(opType, inputs, name, attrs);
    this.nodes.at(-1)!.domain = domain;
    return value;
  }

  /** A named float initializer (a weight), written row by row when the model is encoded. */
  initializer(name: string, dims: readonly number[], rows: FloatRows): string {
    this.reserve(name);
    this.initializers.push(floatInitializer(name, dims, rows));
    return name;
  }

  /** A named float vector or scalar (dims [] for a scalar) initializer. */
  vector(name: string, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.initializer(name, dims, vectorRows(values));
  }

  /** A float32 constant; equal constants are stored once, under the first name asked for. */
  floats(name: string, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.constant(DataType.FLOAT, name, dims, Array.from(values), (n) => floatInitializer(n, dims, vectorRows(values)));
  }

  /**
   * A float scalar; with `rank`, shaped [1, ..., 1] to that rank. ONNX Runtime's CPU broadcast
   * takes a slow path, one call per element, when a rank-0 (or lower-rank) scalar meets a tensor
   * whose last dimensions are 1 ([N, C, 1, 1] maps, [O, I, 1, 1] kernels): 30x an equal-rank one.
   */
  scalar(value: number, rank = 0): string {
    return this.floats(`const/${value}`, [value], unitDims(rank));
  }

  /** An int64 vector constant, shared by value like `floats`. */
  int64s(name: string, values: readonly number[]): string {
    return this.constant(DataType.INT64, name, [values.length], values, (n) => int64Initializer(n, values));
  }

  /** Claims a graph input or output name before any node can take it. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX graph: the name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input (its name reserved). */
  input(name: string, elemType: number, dims: readonly Dim[]): string {
    if (!this.names.has(name)) this.reserve(name);
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /**
   * Publishes `value` as the graph output `name`: as it is when a node already writes it under
   * that name, else through an Identity node (the name must be free or reserved beforehand).
   */
  output(name: string, value: string, elemType: number, dims: readonly Dim[]): void {
    if (value !== name) {
      this.names.add(name);
      this.nodes.push({ name, opType: 'Identity', input: [value], output: [name] });
    }
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Whether some node writes `value`. */
  produces(value: string): boolean {
    return this.nodes.some((n) => n.output!.includes(value));
  }

  /** Renames a value everywhere it is produced or read, freeing its old name. */
  renameValue(from: string, to: string): void {
    this.reserve(to);
    this.names.delete(from);
    for (const n of this.nodes) {
      n.input = n.input!.map((v) => (v === from ? to : v));
      n.output = n.output!.map((v) => (v === from ? to : v));
    }
  }

  /**
   * The model as ONNX structure plus its initializers as streaming sources, without the nodes
   * and initializers no output depends on (unwanted gradients, unused constants).
   */
  build(graphName: string): { proto: IModelProto; initializers: InitializerSource[] } {
    const needed = new Set(this.outputs.map((o) => o.name!));
    const nodes: INodeProto[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (!node.output!.some((o) => needed.has(o))) continue;
      nodes.push({ ...node, input: [...node.input!], output: [...node.output!] }); // a copy: build may run again
      for (const input of node.input!) needed.add(input);
    }
    nodes.reverse();
    withoutOutputIdentities(nodes, new Set(this.outputs.map((o) => o.name!)));
    const proto: IModelProto = {
      // Opset 19 came with IR version 9 (ONNX 1.14).
      irVersion: this.opset >= 19 ? 9 : IR_VERSION,
      opsetImport: [{ domain: '', version: this.opset }, ...[...this.domains].map(([domain, version]) => ({ domain, version }))],
      producerName: PRODUCER,
      graph: { name: graphName, node: nodes, input: this.inputs, output: this.outputs },
    };
    return { proto, initializers: this.initializers.filter((init) => needed.has(init.name)) };
  }

  /** The encoded model, optionally with the weights in an external data file. */
  encode(graphName: string, externalData?: string): EncodedModel {
    const { proto, initializers } = this.build(graphName);
    return encodeModel(proto, initializers, externalData);
  }

  /** The model bytes in memory. */
  bytes(graphName: string): Uint8Array {
    const encoded = this.encode(graphName);
    return concatChunks(encoded.size, encoded.chunks());
  }

  private constant(
    type: number, name: string, dims: readonly number[], values: readonly number[], make: (name: string) => InitializerSource,
  ): string {
    // Constants are keyed by content so every layer with the same shape vector shares one.
    const key = `${type}|${dims.join(',')}|${values.join(',')}`;
    let existing = this.constants.get(key);
    if (existing === undefined) {
      existing = this.unique(name);
      this.initializers.push(make(existing));
      this.constants.set(key, existing);
    }
    return existing;
  }
}
