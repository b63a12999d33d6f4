/**
 * LRN (ONNX / PyTorch / Caffe): y = x * d^-beta, d = bias + alpha / size * S(x^2), S the sum
 * over channels c - floor((size-1)/2) .. c + ceil((size-1)/2). Written out rather than as ONNX
 * LRN (whose ONNX Runtime kernel takes odd sizes only) because the backward pass needs d:
 * dx = dy * d^-beta - 2 * beta * alpha / size * x * S^T(dy * x * d^-beta / d).
 */
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import type { TrainOp } from './types.js';

/**
 * Sums each channel's window c - lo .. c + hi of [N, C, H, W]: the channels become the depth
 * of a 3-D convolution with a ones kernel, size cells deep (linear in the size, not C^2).
 */
function channelWindowSum(b: OnnxGraphBuilder, t: string, [h, w, c]: readonly number[], lo: number, hi: number, name: string): string {
  const size = lo + hi + 1;
  const volume = b.node('Reshape', [t, b.int64s('shape', [-1, 1, c!, h!, w!])], `${name}/volume`);
  const sum = b.node('Conv', [volume, b.floats(`ones/1x1x${size}x1x1`, new Float32Array(size).fill(1), [1, 1, size, 1, 1])], `${name}/conv`, {
    kernel_shape: { ints: [size, 1, 1] },
    pads: { ints: [lo, 0, 0, hi, 0, 0] },
  });
  return b.node('Reshape', [sum, b.int64s('shape', [-1, c!, h!, w!])], name);
}

const window = (size: number) => {
  const lo = Math.floor((size - 1) / 2);
  return { lo, hi: size - 1 - lo };
};

export const lrn: TrainOp<'LRN'> = {
  forward(node, [x], { b, inputShapes }) {
    const { size, alpha, beta, bias } = node.attrs;
    const n = node.name;
    const { lo, hi } = window(size);
    const sum = channelWindowSum(b, b.node('Mul', [x!, x!], `${n}/square`), inputShapes[0]!, lo, hi, `${n}/sum`);
    const d = b.node('Add', [b.node('Mul', [sum, b.scalar(alpha / size)], `${n}/scaled`), b.scalar(bias)], `${n}/d`);
    const p = b.node('Pow', [d, b.scalar(-beta)], `${n}/d_pow`);
    return { y: b.node('Mul', [x!, p], n), saved: { d, p } };
  },
  backward(node, dy, { x: [x], saved }, _needs, { b, inputShapes }) {
    const { size, alpha, beta } = node.attrs;
    const n = node.name;
    const { lo, hi } = window(size);
    const { d, p } = saved as { d: string; p: string };
    const inner = b.node('Div', [b.node('Mul', [b.node('Mul', [dy, x!], `${n}/dy_x`), p], `${n}/dy_x_p`), d], `${n}/inner`);
    const spread = channelWindowSum(b, inner, inputShapes[0]!, hi, lo, `${n}/spread`);
    const cross = b.node('Mul', [b.node('Mul', [x!, spread], `${n}/x_spread`), b.scalar(2 * beta * alpha / size)], `${n}/cross`);
    return { inputs: [b.node('Sub', [b.node('Mul', [dy, p], `${n}/direct`), cross], `${n}/dx`)] };
  },
};
