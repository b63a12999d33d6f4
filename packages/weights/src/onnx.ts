/**
 * An ONNX file's weights as the PyTorch state dict of the native model, so that load.ts converts
 * them as it converts a .pth. Each Conv / Gemm / BatchNormalization node is matched to a convzoo
 * node by its name: convzoo's export names nodes as convzoo does, torch.onnx.export writes the
 * module path (`/layer1/layer1.0/conv1/Conv`); the initializers' own names carry nothing (torch
 * folds BatchNorm into the conv and leaves `onnx::Conv_193`). Strict checks are made here, where
 * the ONNX node and initializer can be named.
 */
import { WeightsError, formatShape, torchModules, type GraphNode, type Model, type TensorData, type TensorMap, type TorchvisionNames } from '@convzoo/core';
import { decodeOnnx, type ExternalDataReader, type OnnxNode, type OnnxTensor } from '@convzoo/onnx';

/** ONNX ops holding parameters: the torch name of each input after the data input. */
const ONNX_PARAMS: Readonly<Record<string, readonly string[]>> = {
  Conv: ['weight', 'bias'],
  Gemm: ['weight', 'bias'],
  BatchNormalization: ['weight', 'bias', 'running_mean', 'running_var'],
};

/** The convzoo op each ONNX op stands for. */
const CONVZOO_OP: Readonly<Record<string, GraphNode['op']>> = { Conv: 'Conv2D', Gemm: 'Dense', BatchNormalization: 'BatchNorm' };

/** torch's parameter names of a convzoo op, by convzoo parameter. */
const TORCH_NAMES: Readonly<Record<string, string>> = {
  kernel: 'weight', bias: 'bias', gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var',
};

/**
 * Whether bytes start like an ONNX ModelProto: field 1 (ir_version, 3 and up) as a varint. A
 * safetensors file may start with 0x08 too (its header length), but has `{` at byte 8.
 */
export function isOnnx(bytes: Uint8Array): boolean {
  return bytes.length > 9 && bytes[0] === 0x08 && bytes[1]! >= 3 && bytes[1]! < 0x80 && bytes[8] !== 0x7b;
}

export interface OnnxWeightsOptions {
  readonly file?: string;
  readonly strict?: boolean;
  readonly torchvision?: TorchvisionNames;
  readonly pretrained?: boolean;
  readonly externalData?: ExternalDataReader;
}

export interface OnnxWeights {
  /** torch names -> torch layouts (OIHW, [out, in] with NCHW flatten rows), as a .pth would hold them. */
  readonly tensors: TensorMap;
  /** Whether the file is of the network torchvision builds for its weights (GoogLeNet's transform_input). */
  readonly pretrained: boolean;
  /** Whose node names the file uses: convzoo's (its own export) or torch's module paths. */
  readonly names: 'convzoo' | 'torchvision';
}

/**
 * torch's module path from a node name torch.onnx.export wrote: one scope per module, a child
 * of a container written with the container's name (`/layer1/layer1.0/conv1/Conv` ->
 * `layer1.0.conv1`, `/inception3a/branch2/branch2.0/conv/Conv` -> `inception3a.branch2.0.conv`).
 */
export function torchModulePath(nodeName: string): string | undefined {
  const scopes = nodeName.split('/');
  if (scopes.length < 3 || scopes[0] !== '') return undefined;
  let path = '';
  let last = '';
  for (const s of scopes.slice(1, -1)) {
    path = last !== '' && s.startsWith(`${last}.`) ? path + s.slice(last.length) : path === '' ? s : `${path}.${s}`;
    last = s;
  }
  return path;
}

/** The torch-layout shape of a convzoo parameter. */
function torchShape(node: GraphNode, param: string, shape: readonly number[]): readonly number[] {
  if (node.op === 'Conv2D' && param === 'kernel') return [shape[3]!, shape[2]!, shape[0]!, shape[1]!];
  if (node.op === 'Dense' && param === 'kernel') return [shape[1]!, shape[0]!];
  return shape;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** [rows, cols] -> [cols, rows]. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * Reads an ONNX ModelProto's parameters into the state dict of the native model (the one
 * torchvision builds for its weights where the file has that network: GoogLeNet's
 * transform_input, computed in front of the first conv). A Conv with a BatchNorm folded into it
 * gives the kernel and bias it has, and the BatchNorm the identity (gamma 1, beta the folded bias
 * or 0, mean 0, variance 1 - epsilon), which is exact. Training-only nodes (GoogLeNet's aux
 * heads), which an inference graph does not have, keep the model's weights.
 */
export function readOnnxWeights(
  model: Model, bytes: Uint8Array, names: TorchvisionNames | undefined, options: OnnxWeightsOptions,
  stateDict: (model: Model, names: TorchvisionNames | undefined) => TensorMap,
): OnnxWeights {
  const where = options.file ?? 'weights';
  const strict = options.strict !== false;
  const fail = (msg: string): never => {
    throw new WeightsError(`${where}: ${msg}${strict ? ' (strict: pass strict: false to load what matches)' : ''}`);
  };
  const external = options.externalData ?? ((location: string): never => {
    throw new WeightsError(`${where}: initializer data is in the external file "${location}": pass options.externalData to read it (the CLI reads it from beside the .onnx file)`);
  });
  const { graph } = decodeOnnx(bytes, options.file, external);

  // torch shares equal initializers through Identity nodes; weights may also sit in Constant nodes.
  const values = new Map<string, OnnxTensor>(graph.initializers);
  for (const n of graph.nodes) {
    const value = n.attrs.get('value');
    if (n.opType === 'Constant' && typeof value === 'object' && !Array.isArray(value)) values.set(n.outputs[0]!, value as OnnxTensor);
    if (n.opType === 'Identity' && values.has(n.inputs[0]!)) values.set(n.outputs[0]!, values.get(n.inputs[0]!)!);
  }
  const paramNodes = graph.nodes.filter((n) => ONNX_PARAMS[n.opType] !== undefined);

  const withInput = names?.pretrained?.(model);
  const added = withInput === undefined ? [] : withInput.nodes.filter((n) => !model.nodes.some((m) => m.name === n.name)).map((n) => n.name);
  const firstConv = paramNodes.find((n) => n.opType === 'Conv');
  const computedInput = firstConv !== undefined && firstConv.name.startsWith('/') && !graph.inputs.some((i) => i.name === firstConv.inputs[0]);
  const pretrained = withInput !== undefined && options.pretrained !== false &&
    (options.pretrained === true || paramNodes.some((n) => added.includes(n.name)) || computedInput);
  const target = pretrained ? withInput! : model;

  const modules = torchModules(target, names);
  const byPath = new Map([...modules].map(([node, m]) => [m.path, node]));
  const nodes = new Map(target.nodes.map((n) => [n.name, n]));
  const params = new Map<string, { name: string; shape: readonly number[] }[]>();
  for (const p of target.paramEntries()) params.set(p.node, [...(params.get(p.node) ?? []), { name: p.name, shape: p.shape }]);

  const tensors: TensorMap = new Map();
  const origin = new Map<string, string>(); // torch name -> the initializer and node it came from
  const holder = new Map<string, OnnxNode>(); // convzoo node -> the ONNX node holding its parameters
  for (const n of paramNodes) {
    const label = `ONNX ${n.opType} node "${n.name}"`;
    const path = torchModulePath(n.name);
    const node = params.has(n.name) ? n.name : path === undefined ? undefined : byPath.get(path);
    const inputs = ONNX_PARAMS[n.opType]!.map((param, k) => ({ param, input: n.inputs[k + 1] })).filter((i) => i.input);
    const found = inputs.map(({ param, input }) => {
      const t = values.get(input!);
      if (t === undefined) fail(`${label} reads its ${param} from "${input}", which is neither an initializer nor a Constant of the file`);
      return { param, t };
    }).filter((f): f is { param: string; t: OnnxTensor } => f.t !== undefined);
    if (node === undefined || nodes.get(node)!.op !== CONVZOO_OP[n.opType]) {
      const first = found[0];
      const what = node === undefined
        ? `matches no node of "${target.name}"${path === undefined ? '' : ` (torch module "${path}")`}: expected a convzoo node name or torch's module path of one (as "/layer1/layer1.0/conv1/Conv")`
        : `is named for "${node}", a ${nodes.get(node)!.op}, not a ${CONVZOO_OP[n.opType]}`;
      if (strict) fail(`${label}${first ? ` (initializer "${first.t.name}" ${formatShape(first.t.dims)})` : ''} ${what}`);
      for (const { param, t } of found) tensors.set(`${n.name}.${param} (initializer "${t.name}")`, { shape: [...t.dims], data: t.floats() });
      continue;
    }
    if (holder.has(node)) fail(`${label} and ONNX node "${holder.get(node)!.name}" both hold the parameters of "${node}"`);
    holder.set(node, n);
    const module = modules.get(node)!.path;
    for (const { param, t } of found) {
      tensors.set(`${module}.${param}`, onnxToTorch(n, param, t, label, fail));
      origin.set(`${module}.${param}`, `initializer "${t.name}" (${param} of ${label})`);
    }
    if (n.opType === 'BatchNormalization') {
      // The model's epsilon may differ from the file's: the variance absorbs the difference exactly.
      const diff = Number(n.attrs.get('epsilon') ?? 1e-5) - (nodes.get(node) as Extract<GraphNode, { op: 'BatchNorm' }>).attrs.epsilon;
      const v = tensors.get(`${module}.running_var`);
      if (v !== undefined && diff !== 0) tensors.set(`${module}.running_var`, { shape: v.shape, data: v.data.map((x) => x + diff) });
    }
  }

  // BatchNorms the exporter folded into the conv before them.
  for (const bn of target.nodes) {
    if (bn.op !== 'BatchNorm' || holder.has(bn.name) || !target.isInferenceNode(bn.name)) continue;
    const producer = nodes.get(bn.inputs[0]!)!;
    const conv = holder.get(producer.name);
    const bias = tensors.get(`${modules.get(producer.name)?.path}.bias`);
    if (conv === undefined || bias === undefined || (producer.op !== 'Conv2D' && producer.op !== 'Dense')) continue;
    holder.set(bn.name, conv);
    const c = bias.shape[0]!;
    const path = modules.get(bn.name)!.path;
    const ownBias = params.get(producer.name)!.some((p) => p.name === 'bias');
    tensors.set(`${path}.weight`, { shape: [c], data: new Float32Array(c).fill(1) });
    tensors.set(`${path}.bias`, { shape: [c], data: ownBias ? new Float32Array(c) : bias.data });
    tensors.set(`${path}.running_mean`, { shape: [c], data: new Float32Array(c) });
    tensors.set(`${path}.running_var`, { shape: [c], data: new Float32Array(c).fill(1 - bn.attrs.epsilon) });
    if (!ownBias) {
      const convBias = `${modules.get(producer.name)!.path}.bias`;
      origin.set(`${path}.bias`, origin.get(convBias)!);
      origin.delete(convBias);
      tensors.delete(convBias);
    }
  }

  if (strict) {
    for (const [node, list] of params) {
      const path = modules.get(node)!.path;
      for (const p of list) {
        const name = `${path}.${TORCH_NAMES[p.name]}`;
        const t = tensors.get(name);
        const expected = torchShape(nodes.get(node)!, p.name, p.shape);
        if (t !== undefined && origin.has(name) && !sameShape(t.shape, expected)) fail(`${origin.get(name)} is ${formatShape(t.shape)}, expected ${formatShape(expected)} for ${node}/${p.name}`);
        origin.delete(name);
      }
    }
    const [extra] = origin.values();
    if (extra !== undefined) fail(`${extra} has no parameter of "${target.name}" to go to`);
  }

  let own: TensorMap | undefined;
  for (const [node, list] of params) {
    const m = modules.get(node)!;
    // Training-only nodes are in no inference graph; nodes outside the torchvision table (transform_input) are optional.
    if (!target.isInferenceNode(node)) {
      own ??= stateDict(target, names);
      for (const p of list) tensors.set(`${m.path}.${TORCH_NAMES[p.name]}`, own.get(`${m.path}.${TORCH_NAMES[p.name]}`)!);
      continue;
    }
    if (holder.has(node) || (m.generated && names !== undefined) || !strict) continue;
    const op = { Conv2D: 'Conv', Dense: 'Gemm', BatchNorm: 'BatchNormalization' }[nodes.get(node)!.op as string] ?? nodes.get(node)!.op;
    fail(`no ONNX node holds the parameters of "${node}" (${node}/${list[0]!.name} ${formatShape(list[0]!.shape)}): expected a ${op} node named "${node}" or with torch's module path "${m.path}"` +
      (nodes.get(node)!.op === 'BatchNorm' ? ', or a Conv with a bias it is folded into' : ''));
  }
  return { tensors, pretrained, names: paramNodes.some((n) => params.has(n.name)) ? 'convzoo' : 'torchvision' };
}

/** An ONNX parameter in torch's layout: Gemm's B as [out, in] (transB 1, as torch writes it), the rest as is. */
function onnxToTorch(n: OnnxNode, param: string, t: OnnxTensor, label: string, fail: (msg: string) => never): TensorData {
  const data = t.floats();
  if (n.opType !== 'Gemm') return { shape: [...t.dims], data };
  const alpha = Number(n.attrs.get('alpha') ?? 1);
  const beta = Number(n.attrs.get('beta') ?? 1);
  if (n.attrs.get('transA') === 1 || alpha !== 1 || beta !== 1) fail(`${label} has transA ${n.attrs.get('transA') ?? 0}, alpha ${alpha}, beta ${beta}: a dense layer is transA 0, alpha 1, beta 1`);
  if (param !== 'weight' || n.attrs.get('transB') === 1 || t.dims.length !== 2) return { shape: [...t.dims], data };
  return { shape: [t.dims[1]!, t.dims[0]!], data: transpose(data, t.dims[0]!, t.dims[1]!) };
}
