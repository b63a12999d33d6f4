/**
 * One handler per supported ONNX operator: what convzoo node(s) it becomes. Covers what
 * torch.onnx.export writes for the five families (and convzoo's own exporter).
 */
import type { Pads2D, Padding, Pair, SymbolicTensor } from '@convzoo/core';
import { flattenOrdersAgree, flattenPermutation, oihwToHwio } from '../layout.js';
import type { OnnxNode, OnnxTensor } from '../proto/decode.js';
import { DataType } from '../proto/proto.js';
import { Attrs, nodeError, type ImportContext, type Imported, type TensorValue } from './context.js';

type Input = Imported | undefined;
type Handler = (node: OnnxNode, inputs: readonly Input[], ctx: ImportContext, a: Attrs) => Imported;

const KIND_WORDS: Record<Imported['kind'], string> = {
  map: 'an NCHW feature map',
  map_nhwc: 'an NHWC feature map',
  vec: 'a [N, F] vector',
  pooled: 'a [N, C, 1, 1] pooled map',
  flat: 'an NCHW-flattened map',
  const: 'a constant',
  shape: 'a shape computation',
  scaled: 'a value times a constant',
  tanh_scaled: 'tanh of a value times a constant',
};

function tensorIn<K extends TensorValue['kind']>(node: OnnxNode, v: Input, i: number, kinds: readonly K[]): Extract<TensorValue, { kind: K }> {
  if (v === undefined) throw nodeError(node, `input ${i} is missing`);
  if (!(kinds as readonly string[]).includes(v.kind)) {
    throw nodeError(node, `input ${i} ("${node.inputs[i]}") is ${KIND_WORDS[v.kind]}; convzoo can import this operator only on ${kinds.map((k) => KIND_WORDS[k]).join(' or ')}`, 'UNSUPPORTED');
  }
  return v as Extract<TensorValue, { kind: K }>;
}

function constIn(node: OnnxNode, v: Input, i: number, what: string): OnnxTensor {
  if (v?.kind !== 'const') throw nodeError(node, `input ${i} (${what}) must be a constant (an initializer or Constant), got ${v ? KIND_WORDS[v.kind] : 'nothing'}`, 'UNSUPPORTED');
  return v.tensor;
}

/** A constant or computed integer vector, with 'N' for the batch size. */
function intsIn(node: OnnxNode, v: Input, i: number, what: string): readonly (number | 'N')[] {
  if (v?.kind === 'shape') return v.values;
  return constIn(node, v, i, what).ints();
}

function scalarIn(v: Input): number | undefined {
  if (v?.kind !== 'const' || v.tensor.dims.reduce((x, y) => x * y, 1) !== 1) return undefined;
  return v.tensor.floats()[0];
}

/** kernel_shape, strides, dilations and pads / auto_pad of Conv and the pools. */
function windowAttrs(node: OnnxNode, a: Attrs, kernel?: readonly number[]): { kernelSize: Pair; strides: Pair; dilation: Pair; padding: Padding } {
  const k = a.has('kernel_shape') ? a.ints('kernel_shape') : kernel;
  if (k === undefined || k.length !== 2) throw nodeError(node, `only 2-D windows are supported, kernel_shape is ${JSON.stringify(k)}`, 'UNSUPPORTED');
  if (kernel !== undefined && (k[0] !== kernel[0] || k[1] !== kernel[1])) throw nodeError(node, `kernel_shape ${JSON.stringify(k)} disagrees with the weights' ${JSON.stringify(kernel)}`);
  const pairOf = (name: string): Pair => {
    const v = a.ints(name, [1, 1]);
    if (v.length !== 2) throw nodeError(node, `${name} must have 2 values, got ${JSON.stringify(v)}`);
    return [v[0]!, v[1]!];
  };
  const autoPad = a.string('auto_pad', 'NOTSET');
  let padding: Padding;
  if (autoPad === 'SAME_UPPER') padding = 'same';
  else if (autoPad === 'VALID') padding = 'valid';
  else if (autoPad === 'NOTSET') {
    const p = a.ints('pads', [0, 0, 0, 0]);
    if (p.length !== 4 || p.some((x) => x < 0)) throw nodeError(node, `pads must be 4 non-negative values [top, left, bottom, right], got ${JSON.stringify(p)}`, 'UNSUPPORTED');
    padding = p.every((x) => x === 0) ? 'valid' : [[p[0]!, p[2]!], [p[1]!, p[3]!]];
  } else {
    throw nodeError(node, `auto_pad ${autoPad} is not supported (convzoo's 'same' is SAME_UPPER)`, 'UNSUPPORTED');
  }
  return { kernelSize: [k[0]!, k[1]!], strides: pairOf('strides'), dilation: pairOf('dilations'), padding };
}

const conv: Handler = (node, [x, w, b], ctx, a) => {
  const input = tensorIn(node, x, 0, ['map']);
  const weight = constIn(node, w, 1, 'weights');
  if (weight.dims.length !== 4) throw nodeError(node, `only 2-D convolutions are supported, weights have dims [${weight.dims.join(', ')}]`, 'UNSUPPORTED');
  const [o, i, kh, kw] = weight.dims as [number, number, number, number];
  const win = windowAttrs(node, a, [kh, kw]);
  const bias = b === undefined ? undefined : constIn(node, b, 2, 'bias').floats();
  const out = ctx.add(node, 'Conv2D', [input.node], {
    filters: o, kernelSize: win.kernelSize, strides: win.strides, padding: win.padding, dilation: win.dilation,
    groups: a.int('group', 1), useBias: bias !== undefined,
  }, {
    kernel: { shape: [kh, kw, i, o], data: oihwToHwio(weight.floats(), [o, i, kh, kw]) },
    ...(bias ? { bias: { shape: [bias.length], data: bias } } : {}),
  });
  return { kind: 'map', node: out };
};

function pool(op: 'MaxPool2D' | 'AvgPool2D'): Handler {
  return (node, [x], ctx, a) => {
    const input = tensorIn(node, x, 0, ['map']);
    const win = windowAttrs(node, a);
    if (win.dilation[0] !== 1 || win.dilation[1] !== 1) throw nodeError(node, 'dilated pooling is not supported', 'UNSUPPORTED');
    if (a.int('storage_order', 0) !== 0) throw nodeError(node, 'storage_order 1 is not supported', 'UNSUPPORTED');
    const common = { poolSize: win.kernelSize, strides: win.strides, padding: win.padding, ceilMode: a.int('ceil_mode', 0) === 1 };
    const out = op === 'MaxPool2D'
      ? ctx.add(node, 'MaxPool2D', [input.node], common)
      : ctx.add(node, 'AvgPool2D', [input.node], { ...common, countIncludePad: a.int('count_include_pad', 0) === 1 });
    return { kind: 'map', node: out };
  };
}

const globalAvgPool: Handler = (node, [x], ctx) => ({
  kind: 'pooled',
  node: ctx.add(node, 'GlobalAvgPool2D', [tensorIn(node, x, 0, ['map']).node], {}),
});

/** [N, ...] -> [N, F]: a convzoo Flatten, remembering when ONNX's element order differs. */
function flattenValue(node: OnnxNode, v: TensorValue, ctx: ImportContext): Imported {
  if (v.kind === 'vec' || v.kind === 'flat') return v;
  if (v.kind === 'pooled') return { kind: 'vec', node: v.node };
  const out = ctx.add(node, 'Flatten', [v.node], {});
  const [h, w, c] = v.node.shape as [number, number, number];
  if (v.kind === 'map_nhwc' || flattenOrdersAgree([h, w, c])) return { kind: 'vec', node: out };
  return { kind: 'flat', node: out, from: [h, w, c] };
}

const flatten: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled', 'vec', 'flat']);
  if (a.int('axis', 1) !== 1) throw nodeError(node, `only Flatten with axis 1 is supported, got ${a.int('axis')}`, 'UNSUPPORTED');
  return flattenValue(node, v, ctx);
};

/** Reshape: the flatten idioms [N, -1], [0, -1], [N, F], [-1, F]. */
const reshape: Handler = (node, [x, s], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'pooled', 'vec', 'flat']);
  if (a.int('allowzero', 0) !== 0) throw nodeError(node, 'allowzero 1 is not supported', 'UNSUPPORTED');
  const target = s?.kind === 'shape' ? s.values : intsIn(node, s, 1, 'shape');
  const size = (t: TensorValue) => t.node.shape.reduce((p, d) => p * d, 1);
  const batch = (d: number | 'N') => d === 'N' || d === 0 || (typeof d === 'number' && d > 0);
  if (target.length === 2 && batch(target[0]!) && (target[1] === -1 || target[1] === size(v))) return flattenValue(node, v, ctx);
  if (target.length === 2 && target[0] === -1 && target[1] === size(v)) return flattenValue(node, v, ctx);
  throw nodeError(node, `Reshape of ${KIND_WORDS[v.kind]} to [${target.join(', ')}] is not supported (only flattening to [N, -1])`, 'UNSUPPORTED');
};

const gemm: Handler = (node, [x, bIn, cIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['vec', 'flat', 'pooled']);
  if (a.int('transA', 0) !== 0) throw nodeError(node, 'transA 1 is not supported', 'UNSUPPORTED');
  const b = constIn(node, bIn, 1, 'B');
  if (b.dims.length !== 2) throw nodeError(node, `B must be 2-D, got dims [${b.dims.join(', ')}]`);
  const transB = a.int('transB', 0) === 1;
  const [k, units] = (transB ? [b.dims[1], b.dims[0]] : b.dims) as [number, number];
  const alpha = a.float('alpha', 1);
  const beta = a.float('beta', 1);
  const src = b.floats();
  // convzoo kernel [in, out]; row r of the input is ONNX row r, or perm[r]'s source after an NCHW flatten.
  const kernel = new Float32Array(k * units);
  const perm = v.kind === 'flat' ? flattenPermutation(v.from) : undefined;
  if (perm && perm.length !== k) throw nodeError(node, `B has ${k} input rows but the flattened input has ${perm.length} features`);
  for (let r = 0; r < k; r++) {
    const row = perm ? perm[r]! : r;
    for (let u = 0; u < units; u++) kernel[row * units + u] = alpha * src[transB ? u * k + r : r * units + u]!;
  }
  let bias: Float32Array | undefined;
  if (cIn !== undefined) {
    const c = constIn(node, cIn, 2, 'C').floats();
    if (c.length !== units && c.length !== 1) throw nodeError(node, `C has ${c.length} values, expected ${units} (or 1, broadcast)`, 'UNSUPPORTED');
    bias = Float32Array.from({ length: units }, (_, u) => beta * c[c.length === 1 ? 0 : u]!);
  }
  const out = ctx.add(node, 'Dense', [v.node], { units, useBias: bias !== undefined }, {
    kernel: { shape: [k, units], data: kernel },
    ...(bias ? { bias: { shape: [units], data: bias } } : {}),
  });
  return { kind: 'vec', node: out };
};

/** Elementwise activations keep the layout (and a pending flatten permutation). */
function unary(fn: 'relu' | 'tanh' | 'sigmoid'): Handler {
  return (node, [x], ctx) => {
    if (fn === 'tanh' && x?.kind === 'scaled') return { kind: 'tanh_scaled', of: x.of, factor: x.factor };
    const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
    return relabel(v, ctx.add(node, 'Activation', [v.node], { fn }));
  };
}

function relabel(v: TensorValue, node: SymbolicTensor): TensorValue {
  return v.kind === 'flat' ? { kind: 'flat', node, from: v.from } : { kind: v.kind, node };
}

const softmax: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const rank = v.kind === 'vec' || v.kind === 'flat' ? 2 : 4;
  const axis = a.int('axis', ctx.opset >= 13 ? -1 : 1);
  const positive = axis < 0 ? axis + rank : axis;
  // convzoo's softmax runs over channels (the last axis); before opset 13, ONNX's runs over everything after axis.
  const channels = v.kind === 'map' ? positive === 1 && ctx.opset >= 13 : v.kind === 'map_nhwc' ? positive === 3 : positive === 1;
  if (!channels) throw nodeError(node, `Softmax over axis ${axis} of ${KIND_WORDS[v.kind]} is not supported (only over channels or features)`, 'UNSUPPORTED');
  return relabel(v, ctx.add(node, 'Activation', [v.node], { fn: 'softmax' }));
};

const SCALED_TANH = { inner: 2 / 3, outer: 1.7159 };
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.abs(b);

/** Mul by a scalar is supported only inside LeNet's 1.7159 * tanh(2x / 3). */
const mul: Handler = (node, [x, y], ctx) => {
  const [value, factor] = scalarIn(y) !== undefined ? [x, scalarIn(y)!] : [y, scalarIn(x)];
  if (factor !== undefined && value?.kind === 'tanh_scaled' && close(value.factor, SCALED_TANH.inner) && close(factor, SCALED_TANH.outer)) {
    return relabel(value.of, ctx.add(node, 'Activation', [value.of.node], { fn: 'scaled_tanh' }));
  }
  if (factor !== undefined && value !== undefined && 'node' in value) return { kind: 'scaled', of: value, factor };
  throw nodeError(node, 'Mul is supported only as part of 1.7159 * tanh(2x / 3) (LeNet-5\'s squashing function)', 'UNSUPPORTED');
};

function sameKind(node: OnnxNode, inputs: readonly Input[]): TensorValue[] {
  const vs = inputs.map((v, i) => tensorIn(node, v, i, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']));
  const first = vs[0]!;
  const same = vs.every((v) => v.kind === first.kind && (v.kind !== 'flat' || (first.kind === 'flat' && v.from.join() === first.from.join())));
  if (!same) throw nodeError(node, `inputs mix layouts (${vs.map((v) => KIND_WORDS[v.kind]).join(', ')})`, 'UNSUPPORTED');
  return vs;
}

const add: Handler = (node, inputs, ctx) => {
  if (inputs.length === 1) return tensorIn(node, inputs[0], 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const vs = sameKind(node, inputs);
  return relabel(vs[0]!, ctx.add(node, 'Add', vs.map((v) => v.node), {}));
};

const concat: Handler = (node, inputs, ctx, a) => {
  const axis = a.int('axis');
  if (inputs.every((v) => v?.kind === 'shape' || v?.kind === 'const')) {
    return { kind: 'shape', values: inputs.flatMap((v, i) => intsIn(node, v, i, 'shape part')), scalar: false };
  }
  const vs = sameKind(node, inputs);
  const kind = vs[0]!.kind;
  const rank = kind === 'vec' || kind === 'flat' ? 2 : 4;
  const channelAxis = kind === 'map_nhwc' ? 3 : 1;
  if ((axis < 0 ? axis + rank : axis) !== channelAxis || kind === 'flat') {
    throw nodeError(node, `Concat along axis ${axis} of ${KIND_WORDS[kind]} is not supported (only channels / features)`, 'UNSUPPORTED');
  }
  return { kind, node: ctx.add(node, 'Concatenate', vs.map((v) => v.node), {}) } as TensorValue;
};

const batchNorm: Handler = (node, [x, ...params], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'vec', 'pooled', 'flat']);
  if (a.int('training_mode', 0) !== 0) throw nodeError(node, 'training_mode 1 is not supported (export the model in eval mode)', 'UNSUPPORTED');
  if (node.outputs.length > 1 && node.outputs.slice(1).some((o) => o !== '')) throw nodeError(node, 'running-statistics outputs are not supported (inference only)', 'UNSUPPORTED');
  const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
  const channels = v.node.shape[v.node.shape.length - 1]!;
  // After an NCHW flatten the features come permuted: put each parameter at its convzoo feature.
  const perm = v.kind === 'flat' ? flattenPermutation(v.from) : undefined;
  const weights = Object.fromEntries(names.map((n, i) => {
    const t = constIn(node, params[i], i + 1, n).floats();
    if (t.length !== channels) throw nodeError(node, `${n} has ${t.length} values, expected ${channels}`);
    const data = perm ? new Float32Array(t.length) : t;
    if (perm) t.forEach((val, r) => (data[perm[r]!] = val));
    return [n, { shape: [channels], data }];
  }));
  // ONNX momentum weighs the running statistic, as convzoo's does (torch's 0.1 exports as 0.9).
  const out = ctx.add(node, 'BatchNorm', [v.node], { epsilon: a.float('epsilon', 1e-5), momentum: a.float('momentum', 0.9) }, weights);
  return relabel(v, out);
};

const lrn: Handler = (node, [x], ctx, a) => ({
  kind: 'map',
  node: ctx.add(node, 'LRN', [tensorIn(node, x, 0, ['map']).node], {
    size: a.int('size'), alpha: a.float('alpha', 1e-4), beta: a.float('beta', 0.75), bias: a.float('bias', 1),
  }),
});

const pad: Handler = (node, [x, padsIn, valueIn, axesIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map']);
  const mode = a.string('mode', 'constant');
  if (mode !== 'constant') throw nodeError(node, `Pad mode ${mode} is not supported (only constant zeros)`, 'UNSUPPORTED');
  if (axesIn !== undefined) throw nodeError(node, 'Pad with an axes input is not supported', 'UNSUPPORTED');
  const p = ctx.opset >= 11 ? intsIn(node, padsIn, 1, 'pads') : a.ints('pads');
  const value = ctx.opset >= 11 ? (valueIn === undefined ? 0 : scalarIn(valueIn)) : a.float('value', 0);
  if (value !== 0) throw nodeError(node, `Pad with value ${value} is not supported (only zeros)`, 'UNSUPPORTED');
  const [n0, c0, t, l, n1, c1, b, r] = p as number[];
  if (p.length !== 8 || n0 !== 0 || c0 !== 0 || n1 !== 0 || c1 !== 0 || [t, l, b, r].some((q) => typeof q !== 'number' || q < 0)) {
    throw nodeError(node, `only non-negative padding of height and width is supported, got pads [${p.join(', ')}]`, 'UNSUPPORTED');
  }
  const padding: Pads2D = [[t!, b!], [l!, r!]];
  return { kind: 'map', node: ctx.add(node, 'ZeroPadding2D', [v.node], { padding }) };
};

/** The NHWC <-> NCHW transposes at the edges of a convzoo export. */
const transpose: Handler = (node, [x], _ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc']);
  const perm = a.ints('perm').join();
  if (v.kind === 'map_nhwc' && perm === '0,3,1,2') return { kind: 'map', node: v.node };
  if (v.kind === 'map' && perm === '0,2,3,1') return { kind: 'map_nhwc', node: v.node };
  throw nodeError(node, `Transpose ${perm} of ${KIND_WORDS[v.kind]} is not supported (only NCHW <-> NHWC)`, 'UNSUPPORTED');
};

const dropout: Handler = (node, [x, ratioIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  if (node.outputs.length > 1 && node.outputs[1] !== '') throw nodeError(node, 'the dropout mask output is not supported', 'UNSUPPORTED');
  const rate = ctx.opset >= 12 ? (ratioIn === undefined ? 0.5 : scalarIn(ratioIn)) : a.float('ratio', 0.5);
  if (rate === undefined) throw nodeError(node, 'ratio must be a constant scalar', 'UNSUPPORTED');
  return relabel(v, ctx.add(node, 'Dropout', [v.node], { rate }));
};

const identity: Handler = (node, [x]) => {
  if (x === undefined) throw nodeError(node, 'input 0 is missing');
  return x;
};

const shape: Handler = (node, [x], _ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const [h, w, c] = v.node.shape as [number, number, number];
  const dims: (number | 'N')[] = {
    map: ['N', c, h, w], map_nhwc: ['N', h, w, c], vec: ['N', h], pooled: ['N', h, 1, 1], flat: ['N', v.node.shape[0]!],
  }[v.kind] as (number | 'N')[];
  const start = a.int('start', 0);
  const end = a.has('end') ? a.int('end') : dims.length;
  return { kind: 'shape', values: dims.slice(start, end), scalar: false };
};

/** Gather on shape computations, and the gather that restores channels-last order after a flatten. */
const gather: Handler = (node, [data, indices], _ctx, a) => {
  const axis = a.int('axis', 0);
  const idx = constIn(node, indices, 1, 'indices');
  if (data?.kind === 'flat' && axis === 1) {
    const perm = flattenPermutation(data.from);
    const want = new Int32Array(perm.length);
    perm.forEach((coreRow, onnxRow) => (want[coreRow] = onnxRow));
    const got = idx.ints();
    if (got.length === want.length && got.every((v, i) => v === want[i])) return { kind: 'vec', node: data.node };
  }
  if (data?.kind !== 'shape' && data?.kind !== 'const') {
    throw nodeError(node, 'Gather is supported only on shape computations and to restore channels-last order after a flatten', 'UNSUPPORTED');
  }
  if (axis !== 0) throw nodeError(node, 'Gather on a shape computation is supported only along axis 0', 'UNSUPPORTED');
  const values = intsIn(node, data, 0, 'data');
  const picked = idx.ints().map((i) => values[i < 0 ? i + values.length : i]);
  if (picked.some((p) => p === undefined)) throw nodeError(node, `indices [${idx.ints().join(', ')}] out of range for ${values.length} values`);
  return { kind: 'shape', values: picked as (number | 'N')[], scalar: idx.dims.length === 0 };
};

const unsqueeze: Handler = (node, [x, axesIn], ctx, a) => {
  if (x?.kind !== 'shape' && x?.kind !== 'const') throw nodeError(node, 'Unsqueeze is supported only on shape computations', 'UNSUPPORTED');
  const axes = ctx.opset >= 13 ? intsIn(node, axesIn, 1, 'axes') : a.ints('axes');
  const scalar = x.kind === 'shape' ? x.scalar : x.tensor.dims.length === 0;
  if (!scalar || axes.length !== 1 || axes[0] !== 0) throw nodeError(node, 'Unsqueeze is supported only from a scalar to a 1-D vector', 'UNSUPPORTED');
  return { kind: 'shape', values: intsIn(node, x, 0, 'data'), scalar: false };
};

const constant: Handler = (node, _inputs, _ctx, a) => {
  const t = a.tensor('value');
  if (t !== undefined) return { kind: 'const', tensor: t };
  for (const [name, isInt] of [['value_int', true], ['value_ints', true], ['value_float', false], ['value_floats', false]] as const) {
    if (!a.has(name)) continue;
    const raw = name.endsWith('s') ? (isInt ? a.ints(name) : (node.attrs.get(name) as readonly number[])) : [isInt ? a.int(name) : a.float(name)];
    const dims = name.endsWith('s') ? [raw.length] : [];
    return { kind: 'const', tensor: { name: node.outputs[0] ?? '', dataType: isInt ? DataType.INT64 : DataType.FLOAT, dims, floats: () => Float32Array.from(raw), ints: () => [...raw] } };
  }
  throw nodeError(node, 'Constant without a supported value (value, value_int(s), value_float(s))', 'UNSUPPORTED');
};

export const HANDLERS: Readonly<Record<string, Handler>> = {
  Conv: conv,
  Gemm: gemm,
  MaxPool: pool('MaxPool2D'),
  AveragePool: pool('AvgPool2D'),
  GlobalAveragePool: globalAvgPool,
  Flatten: flatten,
  Reshape: reshape,
  Relu: unary('relu'),
  Tanh: unary('tanh'),
  Sigmoid: unary('sigmoid'),
  Softmax: softmax,
  Mul: mul,
  Add: add,
  Sum: add,
  Concat: concat,
  BatchNormalization: batchNorm,
  LRN: lrn,
  Pad: pad,
  Transpose: transpose,
  Dropout: dropout,
  Identity: identity,
  Shape: shape,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Constant: constant,
};
