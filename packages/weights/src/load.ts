/**
 * Weight files into convzoo's own models, by name: torchvision's names (from the family's table
 * in the registry) with PyTorch's layouts converted, or convzoo's own `<node>/<param>` names.
 */
import {
  FileFormatError, Model, WeightsError, decodeSafetensors, formatShape, registry, torchModules,
  type GraphNode, type KerasNames, type TensorData, type TensorMap, type TorchvisionNames,
} from '@convzoo/core';
import { flattenPermutation, flattenOrdersAgree, hwioToOihw, oihwToHwio, type ExternalDataReader } from '@convzoo/onnx';
import { isHdf5 } from './h5/keras-file.js';
import { kerasPlan } from './keras.js';
import { isOnnx, readOnnxWeights } from './onnx.js';
import { isPickle, isZip, readTorch } from './torch.js';

export type WeightFormat = 'pth' | 'safetensors' | 'h5' | 'onnx';

export interface LoadWeightsOptions {
  /** The file's format; by default told from its first bytes (zip or pickle: pth, HDF5: Keras h5, ONNX ModelProto: onnx, else safetensors). */
  readonly format?: WeightFormat;
  /**
   * true (default): the first missing, unexpected or misshaped tensor is a WeightsError naming
   * it. false: load what matches, keep the model's own weights for the rest, and list them
   * (a new head: `numClasses: 10` with an ImageNet file).
   */
  readonly strict?: boolean;
  /** torchvision's names for the model; by default the registry entry of `model.name` has them. */
  readonly torchvision?: TorchvisionNames;
  /** Keras's layer names for the model (`.h5` files); by default the registry entry of `model.name` has them. */
  readonly keras?: KerasNames;
  /** ONNX files whose initializers are in an external data file: reads (location, offset, length) of it. */
  readonly externalData?: ExternalDataReader;
  /**
   * Build the network torchvision builds when its weights are given (GoogLeNet:
   * transform_input=True, as a 1x1 per-channel conv `transform_input` after the input).
   * Default true; applies to torch-named files only.
   */
  readonly pretrained?: boolean;
  /** Named in error messages. */
  readonly file?: string;
}

export interface LoadedWeights {
  /** The model with the file's weights (a new Model: the one given is left as it was). */
  readonly model: Model;
  /** Whose names the file uses. */
  readonly names: 'torchvision' | 'convzoo' | 'keras';
  /** convzoo keys (`<node>/<param>`) set from the file. */
  readonly loaded: readonly string[];
  /** Non-strict only: convzoo keys the file has no tensor for (kept as they were), with the name looked for. */
  readonly missing: readonly string[];
  /** Non-strict only: convzoo keys whose tensor has another shape (kept as they were), with both shapes. */
  readonly mismatched: readonly string[];
  /** Non-strict only: file tensors no parameter takes (`num_batches_tracked` is never listed). */
  readonly unexpected: readonly string[];
}

/** torch parameter names by convzoo op and parameter. */
const TORCH_PARAMS: Readonly<Partial<Record<GraphNode['op'], Readonly<Record<string, string>>>>> = {
  Conv2D: { kernel: 'weight', bias: 'bias' },
  Dense: { kernel: 'weight', bias: 'bias' },
  BatchNorm: { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' },
  Subsampling: { coefficient: 'weight', bias: 'bias' },
};

/**
 * Loads a weight file into a convzoo model: a PyTorch `.pth` / `.pt` state dict (torch.save's
 * zip or legacy format, read by a restricted unpickler that refuses any global a state dict does
 * not need) or a `.safetensors` file, with torchvision / timm names or convzoo's own. Conv
 * kernels OIHW -> HWIO, dense kernels [out, in] -> [in, out] with the rows after an NCHW
 * flatten put in convzoo's NHWC order, BatchNorm weight / bias / running statistics ->
 * gamma / beta / moving_mean / moving_variance. A Keras `.h5` weights file (Keras Applications'
 * VGG16/19, ResNet50/101/152: the `keras` variant) maps by Keras's layer names, layouts as they
 * are, and gives the model Keras's caffe preprocessing. An ONNX file (torch.onnx.export's or
 * convzoo's) maps by node name, a BatchNorm the exporter folded into its conv loading as the
 * identity after the folded conv. Runs in Node and browsers.
 *
 * ```ts
 * const { model } = loadWeights(resnet50({ variant: 'torchvision' }), bytes);
 * ```
 */
export function loadWeights(model: Model, bytes: Uint8Array, options: LoadWeightsOptions = {}): LoadedWeights {
  const { file } = options;
  if (options.format === 'h5' || (options.format === undefined && isHdf5(bytes))) {
    const keras = kerasPlan(model, bytes, file, options.keras);
    return place(keras.model, keras.tensors, keras.plan, options, 'keras');
  }
  // Without a torchvision table (LeNet-5) the names are those of convzoo's generated PyTorch module.
  const names = options.torchvision ?? registry.list().find((e) => e.name === model.name)?.torchvision;
  // An ONNX file's parameters come as the state dict they would have in PyTorch's module.
  const onnx = options.format === 'onnx' || (options.format === undefined && isOnnx(bytes)) ? readOnnxWeights(model, bytes, names, options, torchStateDict) : undefined;
  const format = options.format ?? (isZip(bytes) || isPickle(bytes) ? 'pth' : 'safetensors');
  const tensors = onnx?.tensors ?? (format === 'pth' ? readTorch(bytes, file) : decodeSafetensors(bytes, file, { integers: true }).tensors);
  const own = new Set(model.paramEntries().map((p) => p.key));
  if ([...tensors.keys()].some((k) => own.has(k))) return place(model, tensors, new Map([...own].map((k) => [k, { name: k, convert: same }])), options, 'convzoo');

  const target = (onnx?.pretrained ?? options.pretrained !== false) && names?.pretrained ? names.pretrained(model) : model;
  const plan = new Map([...torchLayouts(target, names)].map(([key, l]) => [key, {
    name: l.name, optional: l.optional,
    convert: (t: TensorData) => (sameShape(t.shape, l.shape) ? l.fromTorch(t.data) : `expected ${l.describe}`),
  }]));
  return place(target, tensors, plan, options, onnx?.names ?? 'torchvision');
}

/**
 * A convzoo model's weights as the state dict of PyTorch's module for it (the family's
 * `torchModule` shape, if it has one: GoogLeNet always with transform_input): torchvision's names
 * (convzoo's generated module's for nodes torchvision has no name for, or for families it does
 * not have), OIHW conv kernels, [out, in] dense kernels with the rows after a flatten in NCHW
 * order: exactly what {@link loadWeights} reads back. `@convzoo/torch` generates the module.
 *
 * ```ts
 * const bytes = encodeSafetensors(torchStateDict(lenet5()));
 * ```
 */
export function torchStateDict(model: Model, torchvision?: TorchvisionNames): TensorMap {
  const names = torchvision ?? registry.list().find((e) => e.name === model.name)?.torchvision;
  // The module's own shape (GoogLeNet: always with transform_input), as @convzoo/torch generates it.
  const module = names?.torchModule?.(model) ?? model;
  const out: TensorMap = new Map();
  for (const [key, l] of torchLayouts(module, names)) {
    const [node, param] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    out.set(l.name, { shape: [...l.shape], data: l.toTorch(module.weight(node, param).data) });
  }
  return out;
}

/** For one convzoo key: the file's tensor name, and how its tensor becomes convzoo's (or why not). */
export interface Source {
  readonly name: string;
  /** A tensor the file may lack (the model's weights are kept): nodes outside the torchvision table. */
  readonly optional?: boolean;
  readonly convert: (t: TensorData, shape: readonly number[]) => Float32Array | string;
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const same: Source['convert'] = (t, shape) => (sameShape(t.shape, shape) ? t.data : `expected ${formatShape(shape)}`);

/** One parameter in PyTorch's module: its state-dict name and shape, and the layout conversion both ways. */
interface TorchLayout {
  readonly name: string;
  readonly shape: readonly number[];
  /** The shape with its layout, for error messages (`OIHW [6, 1, 5, 5]`). */
  readonly describe: string;
  readonly optional: boolean;
  fromTorch(data: Float32Array): Float32Array;
  toTorch(data: Float32Array): Float32Array;
}

/**
 * The one table of how convzoo's parameters meet PyTorch's, read by both directions: conv
 * kernels HWIO <-> OIHW, dense kernels [in, out] <-> [out, in] (rows after a flatten NHWC <->
 * NCHW), everything else as it is.
 */
function torchLayouts(model: Model, names: TorchvisionNames | undefined): Map<string, TorchLayout> {
  const nodes = new Map(model.nodes.map((n) => [n.name, n]));
  const modules = torchModules(model, names);
  const layouts = new Map<string, TorchLayout>();
  for (const p of model.paramEntries()) {
    const module = modules.get(p.node)!;
    const node = nodes.get(p.node)!;
    const param = TORCH_PARAMS[node.op]?.[p.name];
    if (param === undefined) throw new WeightsError(`"${p.key}": a ${node.op} parameter has no PyTorch counterpart`);
    const base = { name: `${module.path}.${param}`, optional: module.generated && names !== undefined };
    if (node.op === 'Conv2D' && p.name === 'kernel') {
      const [kh, kw, i, o] = p.shape as [number, number, number, number];
      const shape = [o, i, kh, kw] as const;
      layouts.set(p.key, { ...base, shape, describe: `OIHW ${formatShape(shape)}`, fromTorch: (d) => oihwToHwio(d, shape), toTorch: (d) => hwioToOihw(d, p.shape) });
    } else if (node.op === 'Dense' && p.name === 'kernel') {
      const [i, o] = p.shape as [number, number];
      const perm = flattenedFrom(model, nodes, node);
      layouts.set(p.key, { ...base, shape: [o, i], describe: `[out, in] ${formatShape([o, i])}`, fromTorch: (d) => denseKernel(d, i, o, perm, 'fromTorch'), toTorch: (d) => denseKernel(d, i, o, perm, 'toTorch') });
    } else {
      layouts.set(p.key, { ...base, shape: p.shape, describe: formatShape(p.shape), fromTorch: (d) => d, toTorch: (d) => d });
    }
  }
  return layouts;
}

/**
 * The NCHW -> NHWC row order for a dense layer reading a flattened map (through dropout, which
 * keeps the order), or undefined where both flatten orders agree.
 */
function flattenedFrom(model: Model, nodes: ReadonlyMap<string, GraphNode>, dense: GraphNode): Int32Array | undefined {
  let x = nodes.get(dense.inputs[0]!)!;
  while (x.op === 'Dropout') x = nodes.get(x.inputs[0]!)!;
  if (x.op !== 'Flatten') return undefined;
  const map = model.shapeOf(x.inputs[0]!) as [number, number, number];
  return flattenOrdersAgree(map) ? undefined : flattenPermutation(map);
}

/** torch [out, in] <-> convzoo [in, out]; perm[torchRow] = convzooRow. */
function denseKernel(data: Float32Array, i: number, o: number, perm: Int32Array | undefined, direction: 'fromTorch' | 'toTorch'): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < i; r++) {
    const row = perm === undefined ? r : perm[r]!;
    for (let c = 0; c < o; c++) {
      if (direction === 'fromTorch') out[row * o + c] = data[c * i + r]!;
      else out[c * i + r] = data[row * o + c]!;
    }
  }
  return out;
}

function place(model: Model, tensors: TensorMap, plan: ReadonlyMap<string, Source>, options: LoadWeightsOptions, names: LoadedWeights['names']): LoadedWeights {
  const strict = options.strict !== false;
  const where = options.file ?? 'weights';
  const fail = (msg: string): never => {
    throw new WeightsError(`${where}: ${msg}${strict ? ' (strict: pass strict: false to load what matches)' : ''}`);
  };
  const weights: TensorMap = new Map();
  const used = new Set<string>();
  const loaded: string[] = [];
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const p of model.paramEntries()) {
    const source = plan.get(p.key);
    if (source === undefined) {
      weights.set(p.key, model.weight(p.node, p.name));
      continue;
    }
    const t = tensors.get(source.name);
    if (t === undefined && source.optional) {
      weights.set(p.key, model.weight(p.node, p.name));
      continue;
    }
    const data = t === undefined ? undefined : source.convert(t, p.shape);
    if (t !== undefined) used.add(source.name);
    if (t === undefined || typeof data === 'string') {
      const line = t === undefined
        ? `${p.key} (file tensor "${source.name}")`
        : `${p.key} (file tensor "${source.name}" is ${formatShape(t.shape)}, ${data})`;
      if (strict) fail(t === undefined ? `missing tensor "${source.name}" for ${p.key} ${formatShape(p.shape)}` : `tensor "${source.name}" has shape ${formatShape(t.shape)}, ${data} for ${p.key}`);
      (t === undefined ? missing : mismatched).push(line);
      weights.set(p.key, model.weight(p.node, p.name));
      continue;
    }
    weights.set(p.key, { shape: [...p.shape], data: data! });
    loaded.push(p.key);
  }
  const unexpected = [...tensors.keys()].filter((k) => !used.has(k) && !k.endsWith('num_batches_tracked'));
  if (strict && unexpected.length > 0) fail(`unexpected tensor "${unexpected[0]}" ${formatShape(tensors.get(unexpected[0]!)!.shape)}: no parameter of "${model.name}" takes it`);
  if (loaded.length === 0) {
    throw new FileFormatError(`no tensor of the file fits "${model.name}" (${tensors.size} tensors, e.g. "${[...tensors.keys()][0] ?? ''}")`, options.file);
  }
  return { model: model.withWeights(weights), names, loaded, missing, mismatched, unexpected };
}
