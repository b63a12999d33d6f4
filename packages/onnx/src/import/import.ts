/**
 * ONNX -> convzoo Model, for graphs made of the operators the five families use (as written
 * by torch.onnx.export and by convzoo's exporter). Anything else is a clear error naming the
 * node and operator.
 */
import { ConvzooError, FileFormatError, GraphBuilder, MAX_TENSOR_ELEMENTS, Model, nonFiniteWarnings, type SymbolicTensor, type TensorMap } from '@convzoo/core';
import { decodeOnnx, type ExternalDataReader, type OnnxModel, type OnnxNode } from '../proto/decode.js';
import { DataType } from '../proto/proto.js';
import { Attrs, ImportContext, nodeError, type Imported } from './context.js';
import { HANDLERS } from './ops/index.js';

export interface ImportOptions {
  /** Named in error messages. */
  readonly file?: string;
  /** Reads external tensor data (importOnnxFile provides it, relative to the model file). */
  readonly external?: ExternalDataReader;
  /**
   * Told about what imports but is likely wrong (NaN or infinite weights), one message each,
   * prefixed with the file when one is named. Without it nothing is reported.
   */
  readonly onWarning?: (message: string) => void;
}

/** The operators importOnnx understands. */
export const SUPPORTED_ONNX_OPS: readonly string[] = Object.keys(HANDLERS).sort();

export function importOnnx(bytes: Uint8Array, opts: ImportOptions = {}): Model {
  const model = modelFromOnnx(decodeOnnx(bytes, opts.file, opts.external), opts.file);
  if (opts.onWarning) for (const m of nonFiniteWarnings(model.weights)) opts.onWarning(opts.file === undefined ? m : `${opts.file}: ${m}`);
  return model;
}


function unsupported(message: string, file?: string): ConvzooError {
  return new ConvzooError('UNSUPPORTED', file === undefined ? message : `${file}: ${message}`);
}

/** The graph input as a convzoo Input: NCHW unless every reader transposes it from NHWC. */
function graphInput(m: OnnxModel, ctx: ImportContext, file?: string): { onnxName: string; value: Imported & { node: SymbolicTensor } } {
  const { graph } = m;
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  if (inputs.length !== 1) {
    throw unsupported(`convzoo models take one input; this graph has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`, file);
  }
  const input = inputs[0]!;
  if (input.elemType !== DataType.FLOAT) {
    const got = input.elemType === DataType.UNDEFINED ? 'it declares no element type' : `it is ${DataType[input.elemType] ?? `elem_type ${input.elemType}`}`;
    throw unsupported(`input "${input.name}" must be float32, but ${got}`, file);
  }
  const dims = input.dims.slice(1);
  if ((dims.length !== 3 && dims.length !== 1) || !dims.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 1)) {
    throw unsupported(`input "${input.name}" must be [N, C, H, W] or [N, F] with static sizes after the batch, got [${input.dims.join(', ')}]`, file);
  }
  const perSample = (dims as number[]).reduce((a, b) => a * b, 1);
  if (perSample > MAX_TENSOR_ELEMENTS) throw unsupported(`input "${input.name}" claims ${perSample} values per sample, over the limit of ${MAX_TENSOR_ELEMENTS}`, file);
  const readers = graph.nodes.filter((n) => n.inputs.includes(input.name));
  const nhwc = dims.length === 3 && readers.length > 0 && readers.every((n) => n.opType === 'Transpose' && String(n.attrs.get('perm')) === '0,3,1,2');
  const [a, b, c] = dims as number[];
  const shape = dims.length === 1 ? [a!] : nhwc ? [a!, b!, c!] : [b!, c!, a!];
  const node = ctx.g.input(shape, ctx.unique(input.name, 'input'));
  return { onnxName: input.name, value: { kind: dims.length === 1 ? 'vec' : nhwc ? 'map_nhwc' : 'map', node } };
}

function modelFromOnnx(m: OnnxModel, file?: string): Model {
  const opset = m.opsets.get('');
  if (opset === undefined || opset < 1) throw unsupported(`the model must import an ai.onnx opset (1 or later), got ${opset ?? 'none'}`, file);
  const { graph } = m;
  const ctx = new ImportContext(new GraphBuilder(graph.name.replace(/\//g, '.') || 'onnx_model'), opset, graph);
  const values = new Map<string, Imported>();
  const input = graphInput(m, ctx, file);
  values.set(input.onnxName, input.value);
  const produced = new Set(graph.nodes.flatMap((n) => n.outputs));
  const read = new Set([...graph.nodes.flatMap((n) => n.inputs), ...graph.outputs.map((o) => o.name)]);

  const lookup = (node: OnnxNode, name: string): Imported => {
    const v = values.get(name);
    if (v !== undefined) return v;
    const init = graph.initializers.get(name);
    if (init !== undefined) return { kind: 'const', tensor: init };
    throw nodeError(node, produced.has(name)
      ? `input "${name}" is produced by a later node (ONNX lists nodes in topological order)`
      : `input "${name}" is not produced by any node, initializer or graph input`);
  };

  for (const node of graph.nodes) {
    const handler = node.domain === '' || node.domain === 'ai.onnx' ? HANDLERS[node.opType] : undefined;
    if (handler === undefined) {
      const op = node.domain ? `${node.domain}:${node.opType}` : node.opType;
      throw nodeError(node, `operator ${op} is not supported; convzoo imports ${SUPPORTED_ONNX_OPS.join(', ')}`, 'UNSUPPORTED');
    }
    const inputs = node.inputs.map((name) => (name === '' ? undefined : lookup(node, name)));
    const out = handler(node, inputs, ctx, new Attrs(node));
    // Handlers compute a node's first output only: a later one that is read would be missing.
    const extra = node.outputs.findIndex((o, i) => i > 0 && o !== '' && read.has(o));
    if (extra > 0) throw nodeError(node, `output ${extra} ("${node.outputs[extra]}") is not supported; convzoo imports only a node's first output`, 'UNSUPPORTED');
    if (node.outputs[0]) values.set(node.outputs[0], out);
  }

  const names = new Set<string>();
  const claimed = new Set<string>();
  const outputs: SymbolicTensor[] = graph.outputs.map((o) => {
    if (names.has(o.name)) throw new FileFormatError(`graph output "${o.name}" is listed twice (output names must be unique)`, file);
    names.add(o.name);
    const v = values.get(o.name);
    if (v === undefined) throw new FileFormatError(`graph output "${o.name}" is not produced by any node`, file);
    if (!('node' in v) || v.kind === 'flat' || v.node.name === input.value.node.name) {
      throw unsupported(`graph output "${o.name}" is ${v.kind === 'flat' ? 'an NCHW-flattened feature map, which channels-last convzoo cannot express' : `not a tensor computed from the input (${v.kind})`}`, file);
    }
    // A second output naming the same tensor (through an Identity) would lose its name: give it a
    // linear Activation of its own, which export writes back as an Identity.
    if (claimed.has(v.node.name)) return ctx.g.node('Activation', [v.node], { fn: 'linear' }, ctx.unique(o.name, 'output'));
    claimed.add(v.node.name);
    return v.node;
  });
  if (outputs.length === 0) throw new FileFormatError('the graph has no outputs', file);
  const built = ctx.g.build(outputs);
  // Nodes no output needs are dropped by build; so are their weights.
  const kept = new Set(built.nodes.map((n) => n.name));
  const weights: TensorMap = new Map([...ctx.weights].filter(([key]) => kept.has(key.slice(0, key.lastIndexOf('/')))));
  return new Model(built, weights);
}
