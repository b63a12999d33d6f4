import { GraphError, ShapeError } from '../errors.js';
import { formatShape, sizeOf, type Shape } from '../tensor.js';
import { MAX_TENSOR_ELEMENTS } from '../weights/safetensors.js';
import { OPS, OP_NAMES, type GraphNode, type OpName } from '../ops/index.js';
import type { OpDef, ParamSpec } from '../ops/types.js';

/**
 * A DAG of named nodes. `outputs` are the inference outputs (what predict and export produce);
 * `trainingOutputs` are extra heads used only in training (GoogLeNet's auxiliary classifiers).
 */
export interface Graph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly trainingOutputs?: readonly string[];
}

/** A validated graph: nodes in topological order with their inferred shapes and parameters. */
export interface AnalyzedGraph {
  readonly graph: Graph;
  readonly order: readonly GraphNode[];
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly params: ReadonlyMap<string, readonly ParamSpec[]>;
  /** Nodes on the inference path (reachable backwards from `outputs`). */
  readonly inferenceNodes: ReadonlySet<string>;
}

/**
 * Largest output of one node, in elements per sample (2^28: 1 GiB of float32). Validation refuses
 * graphs past it, so a hostile padding or input size fails at load with the node named instead of
 * as an overflow or a many-gigabyte allocation at run time. Each parameter tensor is held to
 * MAX_TENSOR_ELEMENTS (2^30), the most a weights file may hold.
 */
export const MAX_ACTIVATION_ELEMENTS = 2 ** 28;

const fmt = (n: number) => n.toLocaleString('en-US');

function opDef(op: OpName): OpDef<OpName> {
  return OPS[op] as unknown as OpDef<OpName>;
}

function wrap(node: GraphNode, fn: () => void, shapeProblem = false): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof GraphError) throw e;
    const message = `(${node.op}) ${(e as Error).message}`;
    throw shapeProblem ? new ShapeError(message, node.name) : new GraphError(message, node.name);
  }
}

/** Checks one node's op, arity and attributes (shapes aside). */
export function checkNode(node: GraphNode): void {
  if (typeof node !== 'object' || node === null) throw new GraphError('a node must be an object');
  if (typeof node.name !== 'string' || node.name.length === 0) throw new GraphError(`a node needs a non-empty string name, got ${JSON.stringify(node.name)}`);
  if (node.name.includes('/')) throw new GraphError(`node names may not contain '/' (it separates node and parameter in weight names)`, node.name);
  if (!OP_NAMES.includes(node.op)) {
    throw new GraphError(`unknown op ${JSON.stringify(node.op)}; expected one of ${OP_NAMES.join(', ')}`, node.name);
  }
  if (!Array.isArray(node.inputs) || !node.inputs.every((i) => typeof i === 'string')) {
    throw new GraphError('inputs must be an array of node names', node.name);
  }
  const def = opDef(node.op);
  const n = node.inputs.length;
  if (def.arity === 'many' ? n < 2 : n !== def.arity) {
    throw new GraphError(`${node.op} takes ${def.arity === 'many' ? 'two or more inputs' : `${def.arity} input(s)`}, got ${n}`, node.name);
  }
  if (typeof node.attrs !== 'object' || node.attrs === null) throw new GraphError('attrs must be an object', node.name);
  wrap(node, () => def.checkAttrs(node.attrs as never));
}

export function inferNode(node: GraphNode, inputShapes: readonly Shape[]): { shape: Shape; params: readonly ParamSpec[] } {
  const def = opDef(node.op);
  let shape: Shape = [];
  let params: readonly ParamSpec[] = [];
  wrap(node, () => {
    shape = def.inferShape(inputShapes, node.attrs as never);
    params = def.params(inputShapes, node.attrs as never);
  }, true);
  const size = sizeOf(shape);
  if (!(size <= MAX_ACTIVATION_ELEMENTS)) {
    throw new ShapeError(`(${node.op}) output ${formatShape(shape)} holds ${fmt(size)} elements per sample; the limit is ${fmt(MAX_ACTIVATION_ELEMENTS)}`, node.name);
  }
  for (const p of params) {
    const n = sizeOf(p.shape);
    if (!(n <= MAX_TENSOR_ELEMENTS)) {
      throw new ShapeError(`(${node.op}) parameter "${p.name}" ${formatShape(p.shape)} holds ${fmt(n)} elements; the limit for one tensor is ${fmt(MAX_TENSOR_ELEMENTS)}`, node.name);
    }
  }
  return { shape, params };
}

export function nodeMacs(node: GraphNode, inputShapes: readonly Shape[], output: Shape): number {
  return opDef(node.op).macs(inputShapes, output, node.attrs as never);
}

/**
 * Validates structure (unique names, known ops, existing inputs, no cycles, declared inputs and
 * outputs) and infers every shape. Throws a GraphError naming the first offending node.
 */
export function analyzeGraph(graph: Graph): AnalyzedGraph {
  if (!Array.isArray(graph.nodes)) throw new GraphError('graph.nodes must be an array');
  const byName = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    checkNode(node);
    if (byName.has(node.name)) throw new GraphError('duplicate node name', node.name);
    byName.set(node.name, node);
  }
  for (const node of graph.nodes) {
    for (const i of node.inputs) {
      if (!byName.has(i)) throw new GraphError(`missing input "${i}" (no node has that name)`, node.name);
    }
  }
  for (const name of graph.inputs) {
    if (byName.get(name)?.op !== 'Input') throw new GraphError(`graph input "${name}" is not an Input node`);
  }
  for (const node of graph.nodes) {
    if (node.op === 'Input' && !graph.inputs.includes(node.name)) throw new GraphError('Input node is not listed in graph.inputs', node.name);
  }
  if (graph.outputs.length === 0) throw new GraphError('graph has no outputs');
  const listed = new Set<string>();
  for (const name of [...graph.outputs, ...(graph.trainingOutputs ?? [])]) {
    if (!byName.has(name)) throw new GraphError(`graph output "${name}" is not a node`);
    if (listed.has(name)) throw new GraphError(`graph output "${name}" is listed twice (outputs must be unique)`);
    listed.add(name);
  }

  // Kahn's algorithm; whatever is left over sits on a cycle.
  const indegree = new Map<string, number>();
  const consumers = new Map<string, string[]>();
  for (const node of graph.nodes) {
    indegree.set(node.name, node.inputs.length);
    for (const i of node.inputs) consumers.set(i, [...(consumers.get(i) ?? []), node.name]);
  }
  const ready = graph.nodes.filter((n) => n.inputs.length === 0).map((n) => n.name);
  const order: GraphNode[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(byName.get(name)!);
    for (const c of consumers.get(name) ?? []) {
      const d = indegree.get(c)! - 1;
      indegree.set(c, d);
      if (d === 0) ready.push(c);
    }
  }
  if (order.length !== graph.nodes.length) {
    const stuck = graph.nodes.find((n) => indegree.get(n.name)! > 0)!;
    throw new GraphError('cycle: this node depends on its own output', stuck.name);
  }

  const shapes = new Map<string, Shape>();
  const params = new Map<string, readonly ParamSpec[]>();
  for (const node of order) {
    const r = inferNode(node, node.inputs.map((i) => shapes.get(i)!));
    shapes.set(node.name, r.shape);
    params.set(node.name, r.params);
  }

  const inferenceNodes = new Set<string>();
  const stack = [...graph.outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (inferenceNodes.has(name)) continue;
    inferenceNodes.add(name);
    stack.push(...byName.get(name)!.inputs);
  }
  return { graph, order, shapes, params, inferenceNodes };
}
