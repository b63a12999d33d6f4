import { FileFormatError, GraphError } from '../errors.js';
import { analyzeGraph, type Graph } from './graph.js';

export const GRAPH_FORMAT = 'convzoo.graph';
/**
 * Version 2 added pool dilation and the leaky_relu and clip activations. A graph that uses none of
 * them is still written as version 1, so older readers keep loading it; both versions load here.
 */
export const GRAPH_VERSION = 2;
/** Loading refuses graphs larger than this (a hostile file should not cost minutes). */
export const MAX_GRAPH_NODES = 100_000;

export interface GraphJson extends Graph {
  readonly format: typeof GRAPH_FORMAT;
  readonly version: 1 | typeof GRAPH_VERSION;
}

/** The lowest format version that can hold the graph. */
export function graphJsonVersion(graph: Graph): 1 | typeof GRAPH_VERSION {
  const needs2 = graph.nodes.some((n) =>
    ((n.op === 'MaxPool2D' || n.op === 'AvgPool2D') && n.attrs.dilation !== undefined)
    || (n.op === 'Activation' && (n.attrs.fn === 'leaky_relu' || n.attrs.fn === 'clip')));
  return needs2 ? GRAPH_VERSION : 1;
}

export function graphToJson(graph: Graph): string {
  const doc: GraphJson = {
    format: GRAPH_FORMAT,
    version: graphJsonVersion(graph),
    name: graph.name,
    inputs: graph.inputs,
    outputs: graph.outputs,
    ...(graph.trainingOutputs ? { trainingOutputs: graph.trainingOutputs } : {}),
    nodes: graph.nodes,
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

function stringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

/** Parses and fully validates a graph document; errors name the file and, where one is at fault, the node. */
export function graphFromJson(text: string, file?: string): Graph {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(`not valid JSON (${(e as Error).message})`, file);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new FileFormatError('expected a JSON object', file);
  const d = doc as Record<string, unknown>;
  if (d.format !== GRAPH_FORMAT) throw new FileFormatError(`format is ${JSON.stringify(d.format)}, expected "${GRAPH_FORMAT}"`, file);
  if (d.version !== 1 && d.version !== GRAPH_VERSION) throw new FileFormatError(`unsupported version ${JSON.stringify(d.version)}, expected 1 to ${GRAPH_VERSION}`, file);
  if (typeof d.name !== 'string') throw new FileFormatError('"name" must be a string', file);
  if (!stringArray(d.inputs) || !stringArray(d.outputs)) throw new FileFormatError('"inputs" and "outputs" must be arrays of node names', file);
  if (d.trainingOutputs !== undefined && !stringArray(d.trainingOutputs)) throw new FileFormatError('"trainingOutputs" must be an array of node names', file);
  if (!Array.isArray(d.nodes)) throw new FileFormatError('"nodes" must be an array', file);
  if (d.nodes.length > MAX_GRAPH_NODES) throw new FileFormatError(`${d.nodes.length} nodes exceeds the limit of ${MAX_GRAPH_NODES}`, file);
  const graph: Graph = {
    name: d.name,
    inputs: d.inputs,
    outputs: d.outputs,
    ...(d.trainingOutputs ? { trainingOutputs: d.trainingOutputs as string[] } : {}),
    nodes: d.nodes as Graph['nodes'],
  };
  try {
    analyzeGraph(graph);
  } catch (e) {
    if (e instanceof GraphError && file !== undefined) {
      (e as { message: string }).message = `${file}: ${e.message}`;
    }
    throw e;
  }
  return graph;
}
