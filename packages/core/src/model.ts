import { WeightsError } from './errors.js';
import { analyzeGraph, nodeMacs, type AnalyzedGraph, type Graph } from './graph/graph.js';
import type { GraphNode } from './ops/attrs.js';
import type { ParamSpec } from './ops/types.js';
import { formatShape, sizeOf, type Shape, type TensorData } from './tensor.js';
import { initParam } from './weights/init.js';
import type { TensorMap } from './weights/safetensors.js';
import { Summary, type LayerSummary } from './summary.js';
import type { Preprocessing } from './preprocessing.js';

/** One parameter of the model: `<node>/<param>`. */
export interface ParamEntry extends ParamSpec {
  readonly node: string;
  readonly key: string;
}

/**
 * A graph with its weights (`<node>/<param>`: conv kernels HWIO, dense kernels [in, out],
 * BatchNorm gamma/beta/moving_mean/moving_variance). Weights are checked against the graph:
 * a missing, unexpected or misshaped tensor is an error naming it.
 */
export class Model {
  readonly graph: Graph;
  private readonly analysis: AnalyzedGraph;
  /** The weights, or how to make them: {@link Model.init} defers the seeded init until first use. */
  private weightsOrInit: TensorMap | (() => TensorMap);

  /** How an image becomes one input of this model, when known (see `@convzoo/vision`). */
  readonly preprocessing: Preprocessing | undefined;

  /** Set by {@link Model.init} for the one constructor call it makes. */
  static #deferredInit: ((analysis: AnalyzedGraph) => TensorMap) | undefined;

  constructor(graph: Graph, weights: TensorMap, options: { readonly preprocessing?: Preprocessing | undefined } = {}) {
    this.analysis = analyzeGraph(graph);
    this.graph = graph;
    this.preprocessing = options.preprocessing;
    const init = Model.#deferredInit;
    Model.#deferredInit = undefined;
    this.weightsOrInit = init !== undefined ? () => init(this.analysis) : checkWeights(this.paramEntries(), weights);
  }

  /**
   * A model with deterministic initial weights: the same seed gives the same bytes. The weights
   * are made on first use of `weights`, so shapes, counts and `summary()` cost no memory (a
   * VGG-19 summary needs none of its 144 million parameters).
   */
  static init(graph: Graph, seed = 0): Model {
    Model.#deferredInit = (analysis) => initWeights(analysis, seed);
    try {
      return new Model(graph, new Map());
    } finally {
      Model.#deferredInit = undefined;
    }
  }

  /** `<node>/<param>` -> tensor, checked against the graph. */
  get weights(): TensorMap {
    if (typeof this.weightsOrInit === 'function') this.weightsOrInit = this.weightsOrInit();
    return this.weightsOrInit;
  }

  get name(): string {
    return this.graph.name;
  }

  /** Nodes in topological order. */
  get nodes(): readonly GraphNode[] {
    return this.analysis.order;
  }

  /** Per-sample input shape (no batch dimension). */
  get inputShape(): Shape {
    return this.analysis.shapes.get(this.graph.inputs[0]!)!;
  }

  get outputShapes(): Shape[] {
    return this.graph.outputs.map((o) => this.analysis.shapes.get(o)!);
  }

  shapeOf(node: string): Shape {
    const s = this.analysis.shapes.get(node);
    if (s === undefined) throw new WeightsError(`no node "${node}" in graph "${this.name}"`);
    return s;
  }

  /** The nodes the given outputs depend on, in topological order (what running them needs). */
  nodesFor(outputs: readonly string[]): GraphNode[] {
    const byName = new Map(this.nodes.map((n) => [n.name, n]));
    const needed = new Set<string>();
    const stack = [...outputs];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (needed.has(name)) continue;
      const node = byName.get(name);
      if (node === undefined) throw new WeightsError(`no node "${name}" in graph "${this.name}"`);
      needed.add(name);
      stack.push(...node.inputs);
    }
    return this.nodes.filter((n) => needed.has(n.name));
  }

  /** Whether a node runs at inference (false for training-only heads such as GoogLeNet's aux). */
  isInferenceNode(node: string): boolean {
    return this.analysis.inferenceNodes.has(node);
  }

  paramEntries(): ParamEntry[] {
    return this.analysis.order.flatMap((node) =>
      this.analysis.params.get(node.name)!.map((p) => ({ ...p, node: node.name, key: `${node.name}/${p.name}` })),
    );
  }

  weight(node: string, param: string): TensorData {
    const t = this.weights.get(`${node}/${param}`);
    if (t === undefined) throw new WeightsError(`missing weight "${node}/${param}"`);
    return t;
  }

  /** Same graph, new weights (e.g. after training); checked like the constructor. */
  withWeights(weights: TensorMap): Model {
    return new Model(this.graph, weights, { preprocessing: this.preprocessing });
  }

  /** The same model with another preprocessing record (undefined removes it); seeded weights stay unmade until used. */
  withPreprocessing(preprocessing: Preprocessing | undefined): Model {
    Model.#deferredInit = () => this.weights;
    try {
      return new Model(this.graph, new Map(), { preprocessing });
    } finally {
      Model.#deferredInit = undefined;
    }
  }

  /**
   * A model whose outputs are the given nodes, in that order (feature extraction, as
   * torchvision's `create_feature_extractor`): the graph is cut to what they need, with those
   * weights; training-only heads go. An unknown node is a WeightsError naming it.
   */
  withOutputs(outputs: readonly string[]): Model {
    if (outputs.length === 0) throw new WeightsError('withOutputs needs at least one node name');
    const nodes = this.nodesFor(outputs);
    const keep = new Set(nodes.map((n) => n.name));
    const weights: TensorMap = new Map([...this.weights].filter(([key]) => keep.has(key.slice(0, key.lastIndexOf('/')))));
    const graph: Graph = { name: this.name, inputs: this.graph.inputs, outputs: [...outputs], nodes };
    return new Model(graph, weights, { preprocessing: this.preprocessing });
  }

  summary(): Summary {
    const layers: LayerSummary[] = this.analysis.order.map((node) => {
      const specs = this.analysis.params.get(node.name)!;
      const count = (trainable: boolean) =>
        specs.filter((p) => p.trainable === trainable).reduce((n, p) => n + (p.count ?? sizeOf(p.shape)), 0);
      const inputShapes = node.inputs.map((i) => this.analysis.shapes.get(i)!);
      const output = this.analysis.shapes.get(node.name)!;
      const inference = this.analysis.inferenceNodes.has(node.name);
      return {
        name: node.name,
        op: node.op,
        inputs: [...node.inputs],
        outputShape: [...output],
        params: { trainable: count(true), nonTrainable: count(false) },
        macs: inference ? nodeMacs(node, inputShapes, output) : 0,
        trainingOnly: !inference,
      };
    });
    return new Summary(this.name, [...this.inputShape], layers);
  }
}

function checkWeights(entries: readonly ParamEntry[], weights: TensorMap): TensorMap {
  const expected = new Map(entries.map((p) => [p.key, p]));
  for (const [key, spec] of expected) {
    const t = weights.get(key);
    if (t === undefined) throw new WeightsError(`missing weight "${key}" (shape ${formatShape(spec.shape)})`);
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      throw new WeightsError(`weight "${key}" has shape ${formatShape(t.shape)}, expected ${formatShape(spec.shape)}`);
    }
    if (t.data.length !== sizeOf(spec.shape)) throw new WeightsError(`weight "${key}" holds ${t.data.length} values, expected ${sizeOf(spec.shape)}`);
  }
  for (const key of weights.keys()) {
    if (!expected.has(key)) throw new WeightsError(`unexpected weight "${key}": the graph has no such parameter`);
  }
  return weights;
}

/** The seeded initial weights: each tensor's values depend only on the seed and its key. */
function initWeights(analysis: AnalyzedGraph, seed: number): TensorMap {
  const weights: TensorMap = new Map();
  for (const node of analysis.order) {
    for (const spec of analysis.params.get(node.name)!) {
      const key = `${node.name}/${spec.name}`;
      const t = initParam(spec, seed, key);
      if (node.op === 'Conv2D' && node.attrs.connectionMask && spec.name === 'kernel') {
        applyConnectionMask(t, node.attrs.connectionMask);
      }
      weights.set(key, t);
    }
  }
  return weights;
}

/** Zeroes kernel entries whose input -> output connection the mask leaves out. */
export function applyConnectionMask(kernel: TensorData, mask: readonly (readonly number[])[]): void {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  for (let p = 0; p < kh * kw; p++) {
    for (let i = 0; i < cin; i++) {
      for (let o = 0; o < cout; o++) {
        if (mask[i]![o] === 0) kernel.data[(p * cin + i) * cout + o] = 0;
      }
    }
  }
}
