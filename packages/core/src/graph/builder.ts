import { GraphError } from '../errors.js';
import type { Shape } from '../tensor.js';
import type { ActivationFn, GraphNode, OpAttrs, OpName, Pads2D, Padding, Pair } from '../ops/attrs.js';
import { analyzeGraph, checkNode, inferNode, type Graph } from './graph.js';

/** A value flowing through the builder: the name of the node that produces it, and its shape. */
export interface SymbolicTensor {
  readonly name: string;
  readonly shape: Shape;
}

type PairLike = number | readonly [number, number];
type PadsLike = number | readonly [number, number] | Pads2D;

const toPair = (v: PairLike): Pair => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** 1 -> [[1,1],[1,1]]; [h, w] -> [[h,h],[w,w]]; [[t,b],[l,r]] as is. */
function toPads(v: PadsLike): Pads2D {
  if (typeof v === 'number') return [[v, v], [v, v]];
  const [a, b] = v;
  if (typeof a === 'number' && typeof b === 'number') return [[a, a], [b, b]];
  return v as Pads2D;
}

/** Shared pool attributes; dilation is stored only when not 1x1, so graphs without it stay version 1. */
function poolAttrs(o: Pool2DOptions): OpAttrs['MaxPool2D'] {
  const dilation = toPair(o.dilation ?? 1);
  return {
    poolSize: toPair(o.poolSize), strides: toPair(o.strides ?? o.poolSize),
    padding: toPadding(o.padding ?? 'valid'), ceilMode: o.ceilMode ?? false,
    ...(dilation[0] !== 1 || dilation[1] !== 1 ? { dilation } : {}),
  };
}

const toPadding = (p: 'valid' | 'same' | PadsLike): Padding => (p === 'valid' || p === 'same' ? p : toPads(p));

export interface Conv2DOptions {
  filters: number;
  kernelSize: PairLike;
  strides?: PairLike;
  padding?: 'valid' | 'same' | PadsLike;
  dilation?: PairLike;
  groups?: number;
  useBias?: boolean;
  connectionMask?: readonly (readonly number[])[];
  /** Adds an Activation node named `<name>_<fn>` after the convolution. */
  activation?: ActivationFn;
  name?: string;
}

export interface Pool2DOptions {
  poolSize: PairLike;
  /** Defaults to poolSize, as in Keras. */
  strides?: PairLike;
  padding?: 'valid' | 'same' | PadsLike;
  ceilMode?: boolean;
  /** Spacing of the window's cells, as in Conv2D (ONNX dilations, PyTorch MaxPool2d's dilation). */
  dilation?: PairLike;
  name?: string;
}

export interface AvgPool2DOptions extends Pool2DOptions {
  /** Whether padded cells count in the divisor (PyTorch's default true, Keras 'same' false). */
  countIncludePad?: boolean;
}

/**
 * Keras-like functional graph builder. Every call checks its node and infers its shape at
 * once, so a mistake is reported at the layer that makes it.
 */
export class GraphBuilder {
  readonly name: string;
  private readonly nodes: GraphNode[] = [];
  private readonly shapes = new Map<string, Shape>();
  private readonly inputNames: string[] = [];
  private readonly counters = new Map<string, number>();

  constructor(name: string) {
    this.name = name;
  }

  private uniqueName(base: string): string {
    for (let n = (this.counters.get(base) ?? 0) + 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      if (!this.shapes.has(candidate)) {
        this.counters.set(base, n);
        return candidate;
      }
    }
  }

  /** Adds a node (any op) and returns its output. */
  node<K extends OpName>(op: K, inputs: readonly SymbolicTensor[], attrs: OpAttrs[K], name?: string): SymbolicTensor {
    const nodeName = name ?? this.uniqueName(op.toLowerCase());
    if (this.shapes.has(nodeName)) throw new GraphError('duplicate node name', nodeName);
    for (const i of inputs) {
      if (this.shapes.get(i.name) === undefined) throw new GraphError(`input "${i.name}" does not belong to this graph`, nodeName);
    }
    const node = { name: nodeName, op, inputs: inputs.map((i) => i.name), attrs } as GraphNode;
    checkNode(node);
    const { shape } = inferNode(node, inputs.map((i) => i.shape));
    this.nodes.push(node);
    this.shapes.set(nodeName, shape);
    if (op === 'Input') this.inputNames.push(nodeName);
    return { name: nodeName, shape };
  }

  input(shape: readonly number[], name = 'input'): SymbolicTensor {
    return this.node('Input', [], { shape: [...shape] }, name);
  }

  conv2d(x: SymbolicTensor, o: Conv2DOptions): SymbolicTensor {
    const attrs: OpAttrs['Conv2D'] = {
      filters: o.filters,
      kernelSize: toPair(o.kernelSize),
      strides: toPair(o.strides ?? 1),
      padding: toPadding(o.padding ?? 'valid'),
      dilation: toPair(o.dilation ?? 1),
      groups: o.groups ?? 1,
      useBias: o.useBias ?? true,
      ...(o.connectionMask ? { connectionMask: o.connectionMask } : {}),
    };
    const y = this.node('Conv2D', [x], attrs, o.name);
    return o.activation ? this.activation(y, o.activation, `${y.name}_${o.activation}`) : y;
  }

  dense(x: SymbolicTensor, o: { units: number; useBias?: boolean; activation?: ActivationFn; name?: string }): SymbolicTensor {
    const y = this.node('Dense', [x], { units: o.units, useBias: o.useBias ?? true }, o.name);
    return o.activation ? this.activation(y, o.activation, `${y.name}_${o.activation}`) : y;
  }

  maxPool2d(x: SymbolicTensor, o: Pool2DOptions): SymbolicTensor {
    return this.node('MaxPool2D', [x], poolAttrs(o), o.name);
  }

  avgPool2d(x: SymbolicTensor, o: AvgPool2DOptions): SymbolicTensor {
    return this.node('AvgPool2D', [x], { ...poolAttrs(o), countIncludePad: o.countIncludePad ?? true }, o.name);
  }

  globalAvgPool2d(x: SymbolicTensor, name?: string): SymbolicTensor {
    return this.node('GlobalAvgPool2D', [x], {}, name);
  }

  flatten(x: SymbolicTensor, name?: string): SymbolicTensor {
    return this.node('Flatten', [x], {}, name);
  }

  dropout(x: SymbolicTensor, rate: number, name?: string): SymbolicTensor {
    return this.node('Dropout', [x], { rate }, name);
  }

  batchNorm(x: SymbolicTensor, o: { epsilon?: number; momentum?: number; name?: string } = {}): SymbolicTensor {
    return this.node('BatchNorm', [x], { epsilon: o.epsilon ?? 1e-3, momentum: o.momentum ?? 0.99 }, o.name);
  }

  lrn(x: SymbolicTensor, o: { size: number; alpha: number; beta: number; bias: number; name?: string }): SymbolicTensor {
    return this.node('LRN', [x], { size: o.size, alpha: o.alpha, beta: o.beta, bias: o.bias }, o.name);
  }

  /** A function name, or the attributes of a parameterised one: `{ fn: 'leaky_relu', alpha: 0.1 }`, `{ fn: 'clip', min: 0, max: 6 }`. */
  activation(x: SymbolicTensor, fn: ActivationFn | OpAttrs['Activation'], name?: string): SymbolicTensor {
    return this.node('Activation', [x], typeof fn === 'string' ? { fn } : { ...fn }, name);
  }

  /** ReLU6 (MobileNet's, torch's nn.ReLU6): clip to [0, 6]. */
  relu6(x: SymbolicTensor, name?: string): SymbolicTensor {
    return this.activation(x, { fn: 'clip', min: 0, max: 6 }, name);
  }

  leakyRelu(x: SymbolicTensor, alpha: number, name?: string): SymbolicTensor {
    return this.activation(x, { fn: 'leaky_relu', alpha }, name);
  }

  relu(x: SymbolicTensor, name?: string): SymbolicTensor {
    return this.activation(x, 'relu', name);
  }

  add(xs: readonly SymbolicTensor[], name?: string): SymbolicTensor {
    return this.node('Add', xs, {}, name);
  }

  concatenate(xs: readonly SymbolicTensor[], name?: string): SymbolicTensor {
    return this.node('Concatenate', xs, {}, name);
  }

  zeroPadding2d(x: SymbolicTensor, padding: PadsLike, name?: string): SymbolicTensor {
    return this.node('ZeroPadding2D', [x], { padding: toPads(padding) }, name);
  }

  subsampling(x: SymbolicTensor, o: { poolSize?: PairLike; strides?: PairLike; name?: string } = {}): SymbolicTensor {
    const poolSize = toPair(o.poolSize ?? 2);
    return this.node('Subsampling', [x], { poolSize, strides: toPair(o.strides ?? poolSize) }, o.name);
  }

  /** Finishes the graph; nodes not needed by any output are dropped. */
  build(outputs: readonly SymbolicTensor[], trainingOutputs: readonly SymbolicTensor[] = []): Graph {
    const needed = new Set<string>();
    const byName = new Map(this.nodes.map((n) => [n.name, n]));
    const stack = [...outputs, ...trainingOutputs].map((o) => o.name);
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (needed.has(name)) continue;
      needed.add(name);
      stack.push(...byName.get(name)!.inputs);
    }
    const graph: Graph = {
      name: this.name,
      nodes: this.nodes.filter((n) => needed.has(n.name) || n.op === 'Input'),
      inputs: [...this.inputNames],
      outputs: outputs.map((o) => o.name),
      ...(trainingOutputs.length > 0 ? { trainingOutputs: trainingOutputs.map((o) => o.name) } : {}),
    };
    analyzeGraph(graph);
    return graph;
  }
}
