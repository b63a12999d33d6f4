/** LeNet-5's S2/S4: y = (window sum of x) * coefficient[c] + bias[c]. */
import type { TrainOp } from './types.js';
import { channelSum, perChannel } from './tensor-ops.js';
import { geometry, windowSum, windowSumAdjoint } from './window.js';

export const subsampling: TrainOp<'Subsampling'> = {
  forward(node, [x], { b, param, inputShapes }) {
    const a = node.attrs;
    const c = inputShapes[0]![2]!;
    const n = node.name;
    const sums = windowSum(b, x!, c, geometry(inputShapes[0]!, a.poolSize, a.strides, [1, 1], 'valid'), `${n}/sum`);
    const coef = perChannel(b, param('coefficient'), c, 4, `${n}/coefficient_nchw`);
    const scaled = b.node('Mul', [sums, coef], `${n}/scaled`);
    return { y: b.node('Add', [scaled, perChannel(b, param('bias'), c, 4, `${n}/bias_nchw`)], n), saved: { sums, coef } };
  },
  backward(node, dy, { saved }, _needs, { b, inputShapes }) {
    const a = node.attrs;
    const c = inputShapes[0]![2]!;
    const n = node.name;
    const geo = geometry(inputShapes[0]!, a.poolSize, a.strides, [1, 1], 'valid');
    const dsum = b.node('Mul', [dy, saved['coef']!], `${n}/dsum`);
    return {
      inputs: [windowSumAdjoint(b, dsum, c, geo, `${n}/dx`)],
      params: {
        coefficient: channelSum(b, b.node('Mul', [dy, saved['sums']!], `${n}/dy_sums`), 4, `${n}/dcoefficient`),
        bias: channelSum(b, dy, 4, `${n}/dbias`),
      },
    };
  },
};
