/**
 * Convolutions on ONNX Runtime's blocked channel layout (its com.microsoft.nchwc operators):
 * MLAS's direct NCHWc kernels run ResNet's 3x3 convolutions about 1.4x faster than its
 * im2col-and-GEMM Conv, reorders in and out included. ONNX Runtime only rewrites a Conv into
 * this form when its kernel is a constant, and a training graph's kernels are inputs, so the
 * step graph writes the form itself: the map reordered into channel blocks, the kernel reordered
 * each step (a small copy), the result reordered back to NCHW for the ops around it.
 *
 * The block (8 with AVX2, 16 with AVX-512) is the runtime's: backend-ort asks ONNX Runtime for
 * it (StepGraphOptions.nchwcBlock). Channel counts must be multiples of it, except an input of
 * fewer channels than one block (an RGB image), which the kernels read as NCHW.
 */
import { OnnxGraphBuilder, type Attrs } from '../../graph-builder.js';
import { DataType } from '../../proto/proto.js';

const NCHWC = 'com.microsoft.nchwc';

/**
 * A graph that tells the runtime's channel block: ReorderInput pads the 4-channel input
 * [1, 4, 1, 1] up to one block, so the block is the channel count of its output
 * (nchwcBlockOf). A runtime without the blocked kernels fails to load it.
 */
export const NCHWC_PROBE = { input: 'x', dims: [1, 4, 1, 1], output: 'y' } as const;

export function nchwcProbeGraph(): Uint8Array {
  const b = new OnnxGraphBuilder();
  b.input(NCHWC_PROBE.input, DataType.FLOAT, NCHWC_PROBE.dims);
  b.reserve(NCHWC_PROBE.output);
  b.output(NCHWC_PROBE.output, b.domainNode(NCHWC, 1, 'ReorderInput', [NCHWC_PROBE.input], NCHWC_PROBE.output), DataType.FLOAT, [1, 'block', 1, 1]);
  return b.bytes('nchwc_probe');
}

/** The block from the probe's output dims; undefined below 8 (no SIMD width to block for). */
export const nchwcBlockOf = (outputDims: readonly number[]): number | undefined => {
  const block = outputDims[1]!;
  return block >= 8 ? block : undefined;
};

/**
 * Whether a convolution from `cin` to `cout` channels runs blocked: group 1, on a map where it
 * pays (`large`), both channel counts whole blocks, or (`nchwInput`) fewer input channels than a
 * block, read as NCHW.
 */
export const blockable = (block: number | undefined, groups: number, large: boolean, cin: number, cout: number, nchwInput = true): block is number =>
  block !== undefined && groups === 1 && large && cout % block === 0 && (cin % block === 0 || (nchwInput && cin < block));

/**
 * Conv over `x` [N, cin, H, W] with kernel `k`, given as [cout, cin, kh, kw], or as
 * [cin, cout, kh, kw] when `swapped` (an input gradient's kernel, read with in and out exchanged):
 * the NCHW result, named `name`.
 */
export function blockedConv(
  b: OnnxGraphBuilder, x: string, k: string, bias: string | undefined,
  [cin, cout, kh, kw]: readonly [number, number, number, number], swapped: boolean, block: number, attrs: Attrs, name: string,
): string {
  const blockedInput = cin % block === 0;
  // The kernel as MLAS packs it: OIHWBiBo for a blocked input, OIHWBo for an NCHW one.
  const [outer, inner] = swapped ? [cin, cout] : [cout, cin];
  let perm: number[];
  let view: number[];
  if (blockedInput) {
    view = [outer / block, block, inner / block, block, kh, kw];
    perm = swapped ? [2, 0, 4, 5, 1, 3] : [0, 2, 4, 5, 3, 1];
  } else {
    if (swapped) throw new Error(`training graph: a blocked input gradient needs ${block}-channel blocks (${name})`);
    view = [cout / block, block, cin, kh, kw];
    perm = [0, 2, 3, 4, 1];
  }
  const packed = b.node('Reshape', [
    b.node('Transpose', [b.node('Reshape', [k, b.int64s('shape', view)], `${name}/kernel_blocks`)], `${name}/kernel_packed`, { perm: { ints: perm } }),
    b.int64s('shape', [cout, cin, kh, kw]),
  ], `${name}/kernel_nchwc`);
  const input = blockedInput ? b.domainNode(NCHWC, 1, 'ReorderInput', [x], `${name}/x_nchwc`) : x;
  const y = b.domainNode(NCHWC, 1, 'Conv', [input, packed, ...(bias !== undefined ? [bias] : [])], `${name}/nchwc`, attrs);
  return b.domainNode(NCHWC, 1, 'ReorderOutput', [y], name, { channels: { int: cout } });
}
