/**
 * Conv2D, its kernel OIHW. Input gradient: for stride 1, a convolution of dy with the kernel transposed and
 * flipped (ONNX Runtime runs it on its fast convolution path); otherwise ConvTranspose.
 *
 * Kernel gradient, two forms:
 * - im2col: one Gather of the input's K = kh*kw windows into [g, C/g*K, oh*ow*N], times dy as
 *   [g, O/g, oh*ow*N]: one GEMM per group. Fast, but the copy holds K * C * oh * ow floats per
 *   sample, so it is used while that stays under the context's limit.
 * - convolution: the input convolved with dy where the batch plays the channels (input
 *   [I/g, g*N, H, W] grouped by g, "kernel" dy [O, N, oh, ow], the forward strides as
 *   dilations), giving [I/g, O, kh, kw] at once; no extra memory, but ONNX Runtime's GEMM
 *   handles its skinny shape slowly.
 *
 * On a small output map (ResNet's 7x7 stage) the forward pass is the im2col form's GEMM too,
 * kernel rows times the windows of the whole batch, and the kernel gradient reuses those windows.
 * On larger maps, where the runtime has them, the forward convolution and the stride-1 input
 * gradient run on ONNX Runtime's blocked-layout kernels (ops/nchwc.ts).
 *
 * A kernel that covers the whole unpadded input (LeNet's C5: 5x5 over 5x5, one output cell) is
 * a dense layer over the flattened input, [N, C*H*W] x [O, C*H*W]^T, and runs as one: GEMMs
 * forward and back, where the padded convolutions above spend most of their work on zeros.
 */
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import { blockable, blockedConv } from './nchwc.js';
import { channelSum, perChannel } from './tensor-ops.js';
import type { Forward, OpContext, TrainOp } from './types.js';
import { geometry, transposedWindow, windowAttrs, type WindowGeometry } from './window.js';

/** LeNet C3's 0/1 map as [O, I, 1, 1]: it broadcasts against the OIHW kernel. */
function maskConstant(b: OnnxGraphBuilder, name: string, mask: readonly (readonly number[])[]): string {
  const [cin, cout] = [mask.length, mask[0]!.length];
  const oi = Array.from({ length: cout * cin }, (_, j) => mask[j % cin]![Math.floor(j / cin)]!);
  return b.floats(`${name}/connection_mask`, oi, [cout, cin, 1, 1]);
}

/** Fewer input channels than this: the input gradient stays a ConvTranspose. */
const NARROW = 16;

/**
 * Maps of at most this many cells (ResNet's 7x7 stage): training convolves forward as one GEMM
 * over the im2col windows, and no convolution there takes the blocked form (ops/nchwc.ts), whose
 * gain on so few cells is less than reordering the kernel costs (8.5 ms a step for a 512x512x3x3 one).
 */
const SMALL_MAP = 64;

interface Layer {
  readonly n: string;
  readonly geo: WindowGeometry;
  readonly groups: number;
  /** Input [h, w, cin] and output [oh, ow, cout] per sample. */
  readonly input: readonly [number, number, number];
  readonly output: readonly [number, number, number];
}

/**
 * Each kh x kw window of `k` [..., kh, kw] turned by 180 degrees, as a MatMul of its rows with the
 * reversing permutation: exact (one product by 1 per entry), and ONNX Runtime runs it in a
 * fraction of the time of the Slice with negative steps.
 */
function flipWindows(b: OnnxGraphBuilder, k: string, shape: readonly number[], name: string): string {
  const cells = shape[2]! * shape[3]!;
  const reverse = Array.from({ length: cells * cells }, (_, j) => (j % cells === cells - 1 - Math.floor(j / cells) ? 1 : 0));
  const rows = b.node('Reshape', [k, b.int64s('shape', [-1, cells])], `${name}_rows`);
  return b.node('Reshape', [b.node('MatMul', [rows, b.floats(`reverse/${cells}`, reverse, [cells, cells])], `${name}_rows_flipped`), b.int64s('shape', shape)], name);
}

/** dy [N, O, oh, ow] back to the input through kernel k [O, I/g, kh, kw]. */
function inputGradient(b: OnnxGraphBuilder, dy: string, k: string, { n, geo, groups, input, output }: Layer, block: number | undefined): string {
  const span = (i: 0 | 1) => geo.dilation[i] * (geo.kernel[i] - 1) + 1;
  const pads = [span(0) - 1 - geo.pads[0], span(1) - 1 - geo.pads[1], span(0) - 1 - geo.pads[2], span(1) - 1 - geo.pads[3]];
  // ONNX Runtime's fast convolutions want channel blocks; a narrow input (LeNet's 6 maps) fares better transposed.
  if (geo.strides[0] !== 1 || geo.strides[1] !== 1 || pads.some((p) => p < 0) || input[2] < NARROW) return transposedWindow(b, dy, k, geo, groups, `${n}/dx`);
  const [og, ig] = [output[2] / groups, input[2] / groups];
  const [kh, kw] = geo.kernel;
  const flipped = flipWindows(b, k, [output[2], ig, kh, kw], `${n}/kernel_flipped`);
  const attrs = { kernel_shape: { ints: geo.kernel }, dilations: { ints: geo.dilation }, pads: { ints: pads }, group: { int: groups } };
  if (blockable(block, groups, input[0] * input[1] > SMALL_MAP, output[2], input[2], false)) {
    return blockedConv(b, dy, flipped, undefined, [output[2], input[2], kh, kw], true, block, attrs, `${n}/dx`);
  }
  const swapped = groups === 1
    ? b.node('Transpose', [flipped], `${n}/kernel_iohw`, { perm: { ints: [1, 0, 2, 3] } })
    : b.node('Reshape', [
      b.node('Transpose', [b.node('Reshape', [flipped, b.int64s('shape', [groups, og, ig, kh, kw])], `${n}/kernel_groups`)], `${n}/kernel_giohw`, { perm: { ints: [0, 2, 1, 3, 4] } }),
      b.int64s('shape', [input[2], og, kh, kw]),
    ], `${n}/kernel_iohw`);
  return b.node('Conv', [dy, swapped], `${n}/dx`, attrs);
}

/** For each window offset (ky, kx) and output cell (y, x): the padded input cell it reads, row-major. */
function windowIndices(geo: WindowGeometry, [oh, ow]: readonly number[], paddedWidth: number): number[] {
  const [kh, kw] = geo.kernel;
  const out: number[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let y = 0; y < oh!; y++) {
        for (let x = 0; x < ow!; x++) out.push((y * geo.strides[0] + ky * geo.dilation[0]) * paddedWidth + x * geo.strides[1] + kx * geo.dilation[1]);
      }
    }
  }
  return out;
}

/**
 * [N, C, H, W] as [C*H*W, N]: a 2-D transpose, which ONNX Runtime runs up to 3x faster than the
 * same move written over four axes (and than that one merged with the input's NHWC transpose).
 */
function batchLast(b: OnnxGraphBuilder, x: string, name: string): string {
  return b.node('Transpose', [b.node('Reshape', [x, b.int64s('shape', [0, -1])], `${name}/rows`)], name, { perm: { ints: [1, 0] } });
}

/** The input's windows as [g, C/g * K, oh*ow * N]: rows (c, ky, kx), columns (y, x, n). */
function im2col(b: OnnxGraphBuilder, x: string, { n, geo, groups, input, output }: Layer): string {
  const [kh, kw] = geo.kernel;
  const [h, w, cin] = input;
  const [oh, ow] = output;
  const cg = cin / groups;
  const [t, l, bottom, r] = geo.pads;
  const [hp, wp] = [h + t + bottom, w + l + r];
  const padded = t + l + bottom + r > 0 ? b.node('Pad', [x, b.int64s('pads', [0, 0, t, l, 0, 0, bottom, r])], `${n}/x_padded`) : x;
  // [g, C/g, Hp*Wp, N]: the gather moves whole batch rows.
  const cells = b.node('Reshape', [batchLast(b, padded, `${n}/x_chwn`), b.int64s('shape', [groups, cg, hp * wp, -1])], `${n}/x_cells`);
  const indices = b.node('Reshape', [b.int64s(`${n}/window_cells`, windowIndices(geo, output, wp)), b.int64s('shape', [kh * kw, oh * ow])], `${n}/window_cells_2d`);
  return b.node('Reshape', [b.node('Gather', [cells, indices], `${n}/windows`, { axis: { int: 2 } }), b.int64s('shape', [groups, cg * kh * kw, -1])], `${n}/im2col`);
}

function kernelGradientIm2col(b: OnnxGraphBuilder, columns: string, dy: string, { n, geo, groups, input, output }: Layer): string {
  const [kh, kw] = geo.kernel;
  const [cg, og, cout] = [input[2] / groups, output[2] / groups, output[2]];
  const dyRows = b.node('Reshape', [batchLast(b, dy, `${n}/dy_chwn`), b.int64s('shape', [groups, og, -1])], `${n}/dy_rows`);
  // [g, O/g, C/g * K] are the OIHW rows; ONNX Runtime folds the transpose into the MatMul.
  const product = b.node('MatMul', [dyRows, b.node('Transpose', [columns], `${n}/im2col_t`, { perm: { ints: [0, 2, 1] } })], `${n}/dkernel_rows`);
  return b.node('Reshape', [product, b.int64s('shape', [cout, cg, kh, kw])], `${n}/dkernel`);
}

function kernelGradientConv(b: OnnxGraphBuilder, x: string, dy: string, { n, geo, groups, input, output }: Layer): string {
  const [h, w, cin] = input;
  const perGroup = cin / groups;
  let xt = groups === 1
    ? b.node('Transpose', [x], `${n}/x_cnhw`, { perm: { ints: [1, 0, 2, 3] } })
    : b.node('Reshape', [
      b.node('Transpose', [b.node('Reshape', [x, b.int64s('shape', [-1, groups, perGroup, h, w])], `${n}/x_groups`)], `${n}/x_cgnhw`, { perm: { ints: [2, 1, 0, 3, 4] } }),
      b.int64s('shape', [perGroup, -1, h, w]),
    ], `${n}/x_cnhw`);
  // The trailing pads lose the unread cells; where that goes below zero the input is cropped.
  const tail = [geo.pads[2] - geo.unread[0], geo.pads[3] - geo.unread[1]] as const;
  if (tail[0] < 0 || tail[1] < 0) {
    xt = b.node('Slice', [xt, b.int64s('starts', [0, 0]), b.int64s('ends', [h + Math.min(tail[0], 0), w + Math.min(tail[1], 0)]), b.int64s('axes', [2, 3])], `${n}/x_read`);
  }
  const dyt = b.node('Transpose', [dy], `${n}/dy_cnhw`, { perm: { ints: [1, 0, 2, 3] } });
  const dk = b.node('Conv', [xt, dyt], `${n}/dkernel_iohw`, {
    kernel_shape: { ints: [output[0], output[1]] },
    strides: { ints: geo.dilation },
    dilations: { ints: geo.strides },
    pads: { ints: [geo.pads[0], geo.pads[1], Math.max(tail[0], 0), Math.max(tail[1], 0)] },
    group: { int: groups },
  });
  return b.node('Transpose', [dk], `${n}/dkernel`, { perm: { ints: [1, 0, 2, 3] } });
}

function layer(node: Parameters<TrainOp<'Conv2D'>['forward']>[0], ctx: OpContext): Layer {
  const a = node.attrs;
  return {
    n: node.name,
    geo: geometry(ctx.inputShapes[0]!, a.kernelSize, a.strides, a.dilation, a.padding),
    groups: a.groups,
    input: ctx.inputShapes[0] as [number, number, number],
    output: ctx.outputShape as [number, number, number],
  };
}

/** Whether the kernel reads the whole unpadded input once: the output is one cell (see above). */
const coversInput = ({ geo, groups, input }: Layer): boolean =>
  groups === 1 && geo.kernel[0] === input[0] && geo.kernel[1] === input[1] && geo.pads.every((p) => p === 0) && geo.dilation.every((d) => d === 1);

/** Whether the kernel gradient takes the im2col form (its copy within the context's limit). */
const usesIm2col = ({ geo, input, output }: Layer, ctx: OpContext): boolean => geo.kernel[0] * geo.kernel[1] * input[2] * output[0] * output[1] <= ctx.im2colLimit;

export const conv2d: TrainOp<'Conv2D'> = {
  forward(node, [x], ctx): Forward {
    const { b, param } = ctx;
    const a = node.attrs;
    const l = layer(node, ctx);
    // The kernel travels as OIHW (see step-graph.ts). Masked entries are held at zero in the
    // forward pass and receive no gradient.
    const k = a.connectionMask ? b.node('Mul', [param('kernel'), maskConstant(b, node.name, a.connectionMask)], `${node.name}/masked_kernel`) : param('kernel');
    if (coversInput(l)) {
      // OIHW rows and NCHW samples flatten in the same (c, y, x) order.
      const rows = b.node('Reshape', [k, b.int64s('shape', [l.output[2], -1])], `${l.n}/kernel_rows`);
      const flat = b.node('Flatten', [x!], `${l.n}/x_flat`, { axis: { int: 1 } });
      const gemm = b.node('Gemm', [flat, rows, ...(a.useBias ? [param('bias')] : [])], `${l.n}/gemm`, { transB: { int: 1 } });
      return { y: b.node('Reshape', [gemm, b.int64s('shape', [-1, l.output[2], 1, 1])], l.n), saved: { rows, flat } };
    }
    if (ctx.training && usesIm2col(l, ctx) && l.output[0] * l.output[1] <= SMALL_MAP) {
      // ONNX Runtime convolves sample by sample, a GEMM as wide as the map: on a small map one
      // GEMM over the whole batch's windows is faster, and the kernel gradient reuses them.
      const columns = im2col(b, x!, l);
      const rows = b.node('Reshape', [k, b.int64s('shape', [a.groups, l.output[2] / a.groups, -1])], `${l.n}/kernel_rows`);
      const product = b.node('Reshape', [b.node('MatMul', [rows, columns], `${l.n}/product`), b.int64s('shape', [l.output[2], l.output[0], l.output[1], -1])], `${l.n}/product_chwn`);
      const nchw = b.node('Transpose', [product], a.useBias ? `${l.n}/unbiased` : l.n, { perm: { ints: [3, 0, 1, 2] } });
      const y = a.useBias ? b.node('Add', [nchw, perChannel(b, param('bias'), l.output[2], 4, `${l.n}/bias_b`)], l.n) : nchw;
      return { y, saved: { k, columns } };
    }
    const attrs = { ...windowAttrs(l.geo), group: { int: a.groups } };
    const bias = a.useBias ? param('bias') : undefined;
    if (blockable(ctx.nchwcBlock, a.groups, l.output[0] * l.output[1] > SMALL_MAP, l.input[2], l.output[2])) {
      return { y: blockedConv(b, x!, k, bias, [l.input[2], l.output[2], ...a.kernelSize], false, ctx.nchwcBlock, attrs, node.name), saved: { k } };
    }
    return { y: b.node('Conv', [x!, k, ...(bias !== undefined ? [bias] : [])], node.name, attrs), saved: { k } };
  },

  backward(node, dy, { x: [x], saved }, [needsInput], ctx) {
    const { b } = ctx;
    const a = node.attrs;
    const l = layer(node, ctx);
    const [kh, kw] = a.kernelSize;
    let kernel: string;
    let dx: string | undefined;
    if (coversInput(l)) {
      const dyRows = b.node('Flatten', [dy], `${l.n}/dy_flat`, { axis: { int: 1 } });
      kernel = b.node('Reshape', [b.node('Gemm', [dyRows, saved['flat']!], `${l.n}/dkernel_rows`, { transA: { int: 1 } }), b.int64s('shape', [l.output[2], l.input[2], kh, kw])], `${l.n}/dkernel`);
      if (needsInput) dx = b.node('Reshape', [b.node('MatMul', [dyRows, saved['rows']!], `${l.n}/dx_flat`), b.int64s('shape', [-1, l.input[2], l.input[0], l.input[1]])], `${l.n}/dx`);
    } else {
      kernel = usesIm2col(l, ctx) ? kernelGradientIm2col(b, saved['columns'] ?? im2col(b, x!, l), dy, l) : kernelGradientConv(b, x!, dy, l);
      if (needsInput) dx = inputGradient(b, dy, saved['k']!, l, ctx.nchwcBlock);
    }
    if (a.connectionMask) kernel = b.node('Mul', [kernel, maskConstant(b, l.n, a.connectionMask)], `${l.n}/dkernel_masked`);
    return {
      inputs: [dx],
      params: { kernel, ...(a.useBias ? { bias: channelSum(b, dy, 4, `${l.n}/dbias`) } : {}) },
    };
  },
};
