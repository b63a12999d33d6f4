/**
 * A small ONNX graph writer for generated training graphs: unique value names, multi-output
 * nodes, string attributes, graph inputs and outputs, and constants shared by value.
 */
import { floatInitializer, int64Initializer, vectorRows } from '../export/initializers.js';
import { concatChunks, encodeModel, type InitializerSource } from '../onnx/encode.js';
import { AttrType, DataType, IR_VERSION, OPSET, type IAttributeProto, type INodeProto, type IValueInfoProto } from '../onnx/proto.js';
import { BATCH_DIM, PRODUCER } from '../export/export.js';

export type Attr =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly str: string };

export type Attrs = Readonly<Record<string, Attr>>;

/** A dimension of a graph input or output: a size, or the batch dimension. */
export type Dim = number | typeof BATCH_DIM;

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

export class OnnxBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: InitializerSource[] = [];
  private readonly inputs: IValueInfoProto[] = [];
  private readonly outputs: IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** `base`, or `base_2`, `base_3`... if taken. */
  unique(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node with `outputs` results named after `name`; returns their value names. */
  nodeN(opType: string, inputs: readonly string[], name: string, attrs: Attrs = {}, outputs = 1): string[] {
    const first = this.unique(name);
    const out = [first, ...Array.from({ length: outputs - 1 }, (_, i) => this.unique(`${name}:${i + 1}`))];
    this.nodes.push({
      name: first,
      opType,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  node(opType: string, inputs: readonly string[], name: string, attrs: Attrs = {}): string {
    return this.nodeN(opType, inputs, name, attrs)[0]!;
  }

  /** A float32 constant; equal constants are stored once. */
  floats(name: string, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.constant(DataType.FLOAT, name, dims, Array.from(values), (n) => floatInitializer(n, dims, vectorRows(values)));
  }

  scalar(value: number): string {
    return this.floats(`const/${value}`, [value], []);
  }

  int64s(name: string, values: readonly number[]): string {
    return this.constant(DataType.INT64, name, [values.length], values, (n) => int64Initializer(n, values));
  }

  /** Claims a graph input or output name before any node can take it. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`training graph: the name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input whose name was reserved. */
  input(name: string, elemType: number, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** Publishes `value` as the graph output `name` (reserved beforehand) through an Identity. */
  output(name: string, value: string, elemType: number, dims: readonly Dim[]): void {
    this.nodes.push({ name, opType: 'Identity', input: [value], output: [name] });
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** The model bytes, without nodes and constants no output depends on (unwanted gradients). */
  encode(graphName: string): Uint8Array {
    const needed = new Set(this.outputs.map((o) => o.name!));
    const nodes: INodeProto[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (!node.output!.some((o) => needed.has(o))) continue;
      nodes.push(node);
      for (const input of node.input!) needed.add(input);
    }
    const proto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: PRODUCER,
      graph: { name: graphName, node: nodes.reverse(), input: this.inputs, output: this.outputs },
    };
    const encoded = encodeModel(proto, this.initializers.filter((init) => needed.has(init.name)));
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
