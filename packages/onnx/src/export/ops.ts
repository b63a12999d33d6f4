/**
 * One emitter per convzoo op: writes the ONNX nodes (NCHW) that compute it. Feature maps are
 * NCHW inside the exported graph; vectors are [N, F].
 */
import type { Model, NodeOf, OpName } from '@convzoo/core';
import { flattenOrdersAgree, flattenPermutation } from '../layout.js';
import { constantFilterRows, convKernelRows, denseKernelRows } from '../initializers.js';
import type { OnnxGraphBuilder } from '../graph-builder.js';
import { geometry, windowAttrs } from '../window.js';

/** An exported value. */
export interface Value {
  readonly name: string;
  /**
   * Set when the value is an NCHW flatten of a [H, W, C] map: its elements are a permutation of
   * convzoo's channels-last flatten. A following Dense absorbs it by permuting kernel rows.
   */
  readonly flatFrom?: readonly [number, number, number];
}

export interface EmitContext {
  readonly model: Model;
  readonly g: OnnxGraphBuilder;
  /** The BatchNorm folded into this Conv2D or Dense, if any. */
  foldedInto(node: string): NodeOf<'BatchNorm'> | undefined;
  isFolded(batchNorm: string): boolean;
  /** The value in convzoo's element order (undoes a pending NCHW flatten). */
  plain(v: Value): Value;
}

type Emit<K extends OpName> = (node: NodeOf<K>, inputs: readonly Value[], ctx: EmitContext) => Value;

/** Per-channel affine form of an inference BatchNorm: y = x * scale + shift. */
function batchNormAffine(bn: NodeOf<'BatchNorm'>, model: Model): { scale: Float32Array; shift: Float32Array } {
  const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => model.weight(bn.name, p).data);
  const scale = new Float32Array(gamma!.length);
  const shift = new Float32Array(gamma!.length);
  for (let c = 0; c < scale.length; c++) {
    const s = gamma![c]! / Math.sqrt(variance![c]! + bn.attrs.epsilon);
    scale[c] = s;
    shift[c] = beta![c]! - mean![c]! * s;
  }
  return { scale, shift };
}

/** Bias after folding: b * scale + shift (b = 0 when the layer has none). */
function foldedBias(bias: Float32Array | undefined, affine: { scale: Float32Array; shift: Float32Array }): Float32Array {
  return affine.shift.map((s, c) => (bias ? bias[c]! * affine.scale[c]! : 0) + s);
}

/**
 * Pools in floor mode with any ceil-mode overhang as trailing padding (see WindowGeometry).
 * Counting declared pads alongside an overhang needs them as real zeros: an explicit Pad.
 */
function poolNodes(
  opType: 'MaxPool' | 'AveragePool', node: NodeOf<'MaxPool2D'> | NodeOf<'AvgPool2D'>, x: string,
  { model, g }: EmitContext, countIncludePad = false,
): string {
  const a = node.attrs;
  const geo = geometry(model.shapeOf(node.inputs[0]!), a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
  const { h, w } = geo.win;
  const declared = [h.padBefore, w.padBefore, h.padAfter, w.padAfter];
  const overhang = h.ceilExtra + w.ceilExtra > 0;
  let input = x;
  let pads: readonly number[] = geo.pads;
  if (countIncludePad && overhang && declared.some((p) => p > 0)) {
    const [t, l, b, r] = declared;
    input = g.node('Pad', [x, g.int64s(`${node.name}/pads`, [0, 0, t!, l!, 0, 0, b!, r!])], `${node.name}/pad`);
    pads = [0, 0, h.ceilExtra, w.ceilExtra];
  }
  const attrs = { ...windowAttrs(geo, false), pads: { ints: pads } };
  if (opType === 'MaxPool') return g.node('MaxPool', [input], node.name, attrs);
  const counted = countIncludePad && !overhang && declared.some((p) => p > 0);
  return g.node('AveragePool', [input], node.name, { ...attrs, count_include_pad: { int: counted ? 1 : 0 } });
}

const conv2d: Emit<'Conv2D'> = (node, [x], { model, g, foldedInto }) => {
  const a = node.attrs;
  const bn = foldedInto(node.name);
  const affine = bn ? batchNormAffine(bn, model) : undefined;
  const kernel = model.weight(node.name, 'kernel');
  const [kh, kw, cinG] = kernel.shape as [number, number, number, number];
  const inputs = [x!.name, g.initializer(`${node.name}/kernel`, [a.filters, cinG, kh, kw], convKernelRows(kernel, a.connectionMask, affine?.scale))];
  const bias = a.useBias ? model.weight(node.name, 'bias').data : undefined;
  if (affine) inputs.push(g.vector(`${node.name}/bias`, foldedBias(bias, affine)));
  else if (bias) inputs.push(g.vector(`${node.name}/bias`, bias));
  return {
    name: g.node('Conv', inputs, bn?.name ?? node.name, {
      ...windowAttrs(geometry(model.shapeOf(node.inputs[0]!), a.kernelSize, a.strides, a.dilation, a.padding)),
      group: { int: a.groups },
    }, node.name),
  };
};

const dense: Emit<'Dense'> = (node, [x], { model, g, foldedInto }) => {
  const bn = foldedInto(node.name);
  const affine = bn ? batchNormAffine(bn, model) : undefined;
  const kernel = model.weight(node.name, 'kernel');
  const perm = x!.flatFrom ? flattenPermutation(x!.flatFrom) : undefined;
  const inputs = [x!.name, g.initializer(`${node.name}/kernel`, kernel.shape, denseKernelRows(kernel, perm, affine?.scale))];
  const bias = node.attrs.useBias ? model.weight(node.name, 'bias').data : undefined;
  if (affine) inputs.push(g.vector(`${node.name}/bias`, foldedBias(bias, affine)));
  else if (bias) inputs.push(g.vector(`${node.name}/bias`, bias));
  // transB = 0: convzoo's [in, out] kernel is Gemm's B as is.
  return { name: g.node('Gemm', inputs, bn?.name ?? node.name, {}, node.name) };
};

const maxPool: Emit<'MaxPool2D'> = (node, [x], ctx) => ({ name: poolNodes('MaxPool', node, x!.name, ctx) });

const avgPool: Emit<'AvgPool2D'> = (node, [x], ctx) => ({ name: poolNodes('AveragePool', node, x!.name, ctx, node.attrs.countIncludePad) });

/** LeNet-5 subsampling = a depthwise conv whose 2x2 filter c is all coefficient[c], plus bias. */
const subsampling: Emit<'Subsampling'> = (node, [x], { model, g }) => {
  const a = node.attrs;
  const coef = model.weight(node.name, 'coefficient').data;
  const c = coef.length;
  const [kh, kw] = a.poolSize;
  const inputs = [
    x!.name,
    g.initializer(`${node.name}/kernel`, [c, 1, kh, kw], constantFilterRows(coef, kh * kw)),
    g.vector(`${node.name}/bias`, model.weight(node.name, 'bias').data),
  ];
  return {
    name: g.node('Conv', inputs, node.name, {
      ...windowAttrs(geometry(model.shapeOf(node.inputs[0]!), a.poolSize, a.strides, [1, 1], 'valid'), false),
      group: { int: c },
    }),
  };
};

const globalAvgPool: Emit<'GlobalAvgPool2D'> = (node, [x], { g }) => {
  // The pool carries the layer's name (an importer maps it back to one GlobalAvgPool2D).
  const pooled = g.node('GlobalAveragePool', [x!.name], `${node.name}/pool`, {}, node.name);
  return { name: g.node('Flatten', [pooled], node.name, { axis: { int: 1 } }, `${node.name}/flatten`) };
};

const flatten: Emit<'Flatten'> = (node, [x], { model, g }) => {
  const shape = model.shapeOf(node.inputs[0]!);
  if (shape.length !== 3) return x!; // already [N, F]
  const map = shape as [number, number, number];
  const name = g.node('Flatten', [x!.name], node.name, { axis: { int: 1 } });
  return flattenOrdersAgree(map) ? { name } : { name, flatFrom: map };
};

const batchNorm: Emit<'BatchNorm'> = (node, [x], ctx) => {
  if (ctx.isFolded(node.name)) return x!; // its producer already wrote this value
  const { model, g } = ctx;
  const params = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => g.vector(`${node.name}/${p}`, model.weight(node.name, p).data));
  return {
    name: g.node('BatchNormalization', [ctx.plain(x!).name, ...params], node.name, {
      epsilon: { float: node.attrs.epsilon },
      momentum: { float: node.attrs.momentum },
    }),
  };
};

const lrn: Emit<'LRN'> = (node, [x], { model, g }) => {
  const a = node.attrs;
  if (a.size % 2 === 1) {
    return {
      name: g.node('LRN', [x!.name], node.name, { size: { int: a.size }, alpha: { float: a.alpha }, beta: { float: a.beta }, bias: { float: a.bias } }),
    };
  }
  // ONNX defines even sizes (window c - floor((size-1)/2) .. c + ceil((size-1)/2)) but ONNX
  // Runtime's LRN kernel takes odd sizes only, so spell it out: a 1x1 conv sums the squares.
  const c = model.shapeOf(node.name)[2]!;
  const lo = Math.floor((a.size - 1) / 2);
  const hi = a.size - 1 - lo;
  const band = {
    rows: c,
    rowLength: c,
    fill(first: number, count: number, out: Float32Array) {
      for (let o = first; o < first + count; o++) {
        for (let i = 0; i < c; i++) out[(o - first) * c + i] = i >= o - lo && i <= o + hi ? 1 : 0;
      }
    },
  };
  const n = node.name;
  const sq = g.node('Mul', [x!.name, x!.name], `${n}/square`);
  const sum = g.node('Conv', [sq, g.initializer(`${n}/window`, [c, c, 1, 1], band)], `${n}/sum`, { kernel_shape: { ints: [1, 1] }, pads: { ints: [0, 0, 0, 0] } });
  const scaled = g.node('Mul', [sum, g.floats(`${n}/alpha_over_size`, [a.alpha / a.size], [])], `${n}/scaled`);
  const base = g.node('Add', [scaled, g.floats(`${n}/bias`, [a.bias], [])], `${n}/base`);
  const denom = g.node('Pow', [base, g.floats(`${n}/beta`, [a.beta], [])], `${n}/denominator`);
  return { name: g.node('Div', [x!.name, denom], n) };
};

/** Elementwise ops keep a pending flatten permutation; so does softmax over a whole vector. */
const activation: Emit<'Activation'> = (node, [x], { g }) => {
  const keep = (name: string): Value => (x!.flatFrom ? { name, flatFrom: x!.flatFrom } : { name });
  switch (node.attrs.fn) {
    case 'linear':
      return x!;
    case 'relu':
      return keep(g.node('Relu', [x!.name], node.name));
    case 'tanh':
      return keep(g.node('Tanh', [x!.name], node.name));
    case 'sigmoid':
      return keep(g.node('Sigmoid', [x!.name], node.name));
    case 'softmax':
      // axis 1: the channels of an NCHW map, the features of an [N, F] vector.
      return keep(g.node('Softmax', [x!.name], node.name, { axis: { int: 1 } }));
    case 'scaled_tanh': {
      // 1.7159 * tanh(2x / 3) (LeCun et al. 1998, Appendix A) as Mul, Tanh, Mul.
      const inner = g.node('Mul', [x!.name, g.floats('scaled_tanh/inner', [2 / 3], [])], `${node.name}/scale_in`);
      const t = g.node('Tanh', [inner], `${node.name}/tanh`);
      return keep(g.node('Mul', [t, g.floats('scaled_tanh/outer', [1.7159], [])], node.name));
    }
  }
};

const add: Emit<'Add'> = (node, inputs, { g, plain }) => {
  const names = inputs.map((v) => plain(v).name);
  return { name: g.node(names.length === 2 ? 'Add' : 'Sum', names, node.name) };
};

const concatenate: Emit<'Concatenate'> = (node, inputs, { g, plain }) => ({
  name: g.node('Concat', inputs.map((v) => plain(v).name), node.name, { axis: { int: 1 } }),
});

const zeroPadding: Emit<'ZeroPadding2D'> = (node, [x], { g }) => {
  const [[t, b], [l, r]] = node.attrs.padding;
  return { name: g.node('Pad', [x!.name, g.int64s(`${node.name}/pads`, [0, 0, t, l, 0, 0, b, r])], node.name) };
};

/** Kept as a node (identity at inference, removed by runtimes) so the graph keeps its layers. */
const dropout: Emit<'Dropout'> = (node, [x], { g }) => {
  const ratio = g.floats(`${node.name}/ratio`, [node.attrs.rate], []);
  const name = g.node('Dropout', [x!.name, ratio], node.name);
  return x!.flatFrom ? { name, flatFrom: x!.flatFrom } : { name };
};

export const EMITTERS: { readonly [K in Exclude<OpName, 'Input'>]: Emit<K> } = {
  Conv2D: conv2d,
  Dense: dense,
  MaxPool2D: maxPool,
  AvgPool2D: avgPool,
  GlobalAvgPool2D: globalAvgPool,
  Flatten: flatten,
  Dropout: dropout,
  BatchNorm: batchNorm,
  LRN: lrn,
  Activation: activation,
  Add: add,
  Concatenate: concatenate,
  ZeroPadding2D: zeroPadding,
  Subsampling: subsampling,
};
