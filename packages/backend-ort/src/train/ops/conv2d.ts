/**
 * Conv2D. Input gradient: ConvTranspose of dy with the same kernel. Kernel gradient: a
 * convolution of the input with dy where the batch plays the channels (input [I/g, g*N, H, W]
 * grouped by g, "kernel" dy [O, N, oh, ow], the forward strides as dilations), which gives
 * [I/g, O, kh, kw] directly for every group at once.
 */
import type { OnnxBuilder } from '../onnx-builder.js';
import { channelSum } from './tensor-ops.js';
import type { TrainOp } from './types.js';
import { geometry, transposedWindow, windowAttrs } from './window.js';

const HWIO_TO_OIHW = [3, 2, 0, 1];
/** [I/g, O, kh, kw] (the kernel-gradient convolution's output) -> HWIO. */
const IOHW_TO_HWIO = [2, 3, 0, 1];

/** LeNet C3's 0/1 map as [I, O]: it broadcasts against an HWIO kernel. */
function maskConstant(b: OnnxBuilder, name: string, mask: readonly (readonly number[])[]): string {
  return b.floats(`${name}/connection_mask`, mask.flat(), [mask.length, mask[0]!.length]);
}

export const conv2d: TrainOp<'Conv2D'> = {
  forward(node, [x], { b, param, inputShapes }) {
    const a = node.attrs;
    const geo = geometry(inputShapes[0]!, a.kernelSize, a.strides, a.dilation, a.padding);
    let kernel = param('kernel');
    // Masked entries are held at zero in the forward pass and receive no gradient.
    if (a.connectionMask) kernel = b.node('Mul', [kernel, maskConstant(b, node.name, a.connectionMask)], `${node.name}/masked_kernel`);
    const k = b.node('Transpose', [kernel], `${node.name}/kernel_oihw`, { perm: { ints: HWIO_TO_OIHW } });
    const inputs = [x!, k, ...(a.useBias ? [param('bias')] : [])];
    return { y: b.node('Conv', inputs, node.name, { ...windowAttrs(geo), group: { int: a.groups } }), saved: { k } };
  },

  backward(node, dy, { x: [x], saved }, [needsInput], { b, inputShapes, outputShape }) {
    const a = node.attrs;
    const n = node.name;
    const [h, w, cin] = inputShapes[0] as [number, number, number];
    const [oh, ow] = outputShape as [number, number, number];
    const geo = geometry(inputShapes[0]!, a.kernelSize, a.strides, a.dilation, a.padding);
    const dx = needsInput ? transposedWindow(b, dy, saved['k']!, geo, a.groups, `${n}/dx`) : undefined;

    const g = a.groups;
    const perGroup = cin / g;
    let xt = g === 1
      ? b.node('Transpose', [x!], `${n}/x_cnhw`, { perm: { ints: [1, 0, 2, 3] } })
      : b.node('Reshape', [
        b.node('Transpose', [b.node('Reshape', [x!, b.int64s('shape', [-1, g, perGroup, h, w])], `${n}/x_groups`)], `${n}/x_cgnhw`, { perm: { ints: [2, 1, 0, 3, 4] } }),
        b.int64s('shape', [perGroup, -1, h, w]),
      ], `${n}/x_cnhw`);
    // The trailing pads of the kernel-gradient convolution lose the unread cells; where that
    // goes below zero the unread input is cropped instead.
    const tail = [geo.pads[2] - geo.unread[0], geo.pads[3] - geo.unread[1]] as const;
    if (tail[0] < 0 || tail[1] < 0) {
      xt = b.node('Slice', [xt, b.int64s('starts', [0, 0]), b.int64s('ends', [h + Math.min(tail[0], 0), w + Math.min(tail[1], 0)]), b.int64s('axes', [2, 3])], `${n}/x_read`);
    }
    const dyt = b.node('Transpose', [dy], `${n}/dy_cnhw`, { perm: { ints: [1, 0, 2, 3] } });
    const dk = b.node('Conv', [xt, dyt], `${n}/dkernel_iohw`, {
      kernel_shape: { ints: [oh, ow] },
      strides: { ints: a.dilation },
      dilations: { ints: a.strides },
      pads: { ints: [geo.pads[0], geo.pads[1], Math.max(tail[0], 0), Math.max(tail[1], 0)] },
      group: { int: g },
    });
    let kernel = b.node('Transpose', [dk], `${n}/dkernel`, { perm: { ints: IOHW_TO_HWIO } });
    if (a.connectionMask) kernel = b.node('Mul', [kernel, maskConstant(b, n, a.connectionMask)], `${n}/dkernel_masked`);
    return {
      inputs: [dx],
      params: { kernel, ...(a.useBias ? { bias: channelSum(b, dy, 4, `${n}/dbias`) } : {}) },
    };
  },
};
