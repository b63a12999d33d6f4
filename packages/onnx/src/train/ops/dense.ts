/** Dense: y = x K + b as Gemm; dx = dy K^T, dK = x^T dy, db = sum_n dy. */
import type { TrainOp } from './types.js';

export const dense: TrainOp<'Dense'> = {
  forward(node, [x], { b, param }) {
    const inputs = [x!, param('kernel'), ...(node.attrs.useBias ? [param('bias')] : [])];
    return { y: b.node('Gemm', inputs, node.name) };
  },
  backward(node, dy, { x: [x] }, [needsInput], { b, param }) {
    const n = node.name;
    return {
      inputs: [needsInput ? b.node('Gemm', [dy, param('kernel')], `${n}/dx`, { transB: { int: 1 } }) : undefined],
      params: {
        kernel: b.node('Gemm', [x!, dy], `${n}/dkernel`, { transA: { int: 1 } }),
        ...(node.attrs.useBias ? { bias: b.node('ReduceSum', [dy, b.int64s('axes', [0])], `${n}/dbias`, { keepdims: { int: 0 } }) } : {}),
      },
    };
  },
};
