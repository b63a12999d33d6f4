/** A small builder for the ONNX graph being exported: nodes, attributes, initializers. */
import type { InitializerSource } from '../onnx/encode.js';
import { AttrType, type IAttributeProto, type INodeProto } from '../onnx/proto.js';
import { floatInitializer, int64Initializer, vectorRows, type FloatRows } from './initializers.js';

export type Attr =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] };

function attribute(name: string, a: Attr): IAttributeProto {
  if ('int' in a) return { name, type: AttrType.INT, i: a.int };
  if ('float' in a) return { name, type: AttrType.FLOAT, f: a.float };
  return { name, type: AttrType.INTS, ints: [...a.ints] };
}

export class OnnxGraph {
  readonly nodes: INodeProto[] = [];
  readonly initializers: InitializerSource[] = [];
  private readonly initializerNames = new Set<string>();

  /** Adds a node named `name` writing value `output`; returns `output`. */
  node(opType: string, inputs: readonly string[], output: string, attrs: Readonly<Record<string, Attr>> = {}, name = output): string {
    this.nodes.push({
      name,
      opType,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  floats(name: string, dims: readonly number[], rows: FloatRows): string {
    return this.add(floatInitializer(name, dims, rows));
  }

  /** A float vector or scalar (dims [] for a scalar). */
  vector(name: string, values: ArrayLike<number>, dims: readonly number[] = [values.length]): string {
    return this.add(floatInitializer(name, dims, vectorRows(values)));
  }

  int64s(name: string, values: readonly number[]): string {
    return this.add(int64Initializer(name, values));
  }

  produces(value: string): boolean {
    return this.nodes.some((n) => n.output!.includes(value));
  }

  /** Renames a value everywhere it is produced or read. */
  renameValue(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = n.input!.map((v) => (v === from ? to : v));
      n.output = n.output!.map((v) => (v === from ? to : v));
    }
  }

  private add(init: InitializerSource): string {
    // Shared constants (e.g. scaled-tanh factors) are added once.
    if (!this.initializerNames.has(init.name)) {
      this.initializerNames.add(init.name);
      this.initializers.push(init);
    }
    return init.name;
  }
}
