/**
 * BatchNorm. Training normalizes with the batch's mean and biased variance over every axis but
 * the channels and moves the statistics the Keras way (moving = momentum * moving +
 * (1 - momentum) * batch), as backend-tfjs does; inference uses the moving statistics.
 */
import type { TrainOp } from './types.js';
import { channelSum, perChannel, rankOf } from './tensor-ops.js';

const PARAMS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

export const batchNorm: TrainOp<'BatchNorm'> = {
  forward(node, [x], { b, param, training, update, inputShapes }) {
    const { epsilon, momentum } = node.attrs;
    const n = node.name;
    if (!training) {
      return { y: b.node('BatchNormalization', [x!, ...PARAMS.map((p) => param(p))], n, { epsilon: { float: epsilon } }) };
    }
    const shape = inputShapes[0]!;
    const rank = rankOf(shape);
    const c = shape[shape.length - 1]!;
    const axes = { ints: [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)] };
    const mean = b.node('ReduceMean', [x!], `${n}/mean`, { axes, keepdims: { int: 1 } });
    const centred = b.node('Sub', [x!, mean], `${n}/centred`);
    const variance = b.node('ReduceMean', [b.node('Mul', [centred, centred], `${n}/squares`)], `${n}/variance`, { axes, keepdims: { int: 1 } });
    const inv = b.node('Reciprocal', [b.node('Sqrt', [b.node('Add', [variance, b.scalar(epsilon)], `${n}/variance_eps`)], `${n}/std`)], `${n}/inv_std`);
    const xhat = b.node('Mul', [centred, inv], `${n}/xhat`);
    const gamma = perChannel(b, param('gamma'), c, rank, `${n}/gamma_b`);
    const y = b.node('Add', [b.node('Mul', [xhat, gamma], `${n}/scaled`), perChannel(b, param('beta'), c, rank, `${n}/beta_b`)], n);
    const vector = b.int64s('shape', [c]);
    for (const [stat, batch] of [['moving_mean', mean], ['moving_variance', variance]] as const) {
      const kept = b.node('Mul', [param(stat), b.scalar(momentum)], `${n}/${stat}_kept`);
      const added = b.node('Mul', [b.node('Reshape', [batch, vector], `${n}/batch_${stat}`), b.scalar(1 - momentum)], `${n}/${stat}_added`);
      update(stat, b.node('Add', [kept, added], `${n}/${stat}_next`));
    }
    return { y, saved: { xhat, inv, gamma } };
  },

  // dx = gamma * inv * (dy - (sum(dy) + xhat * sum(dy * xhat)) / M), M = cells per channel.
  backward(node, dy, { saved }, _needs, { b, inputShapes }) {
    const n = node.name;
    const shape = inputShapes[0]!;
    const rank = rankOf(shape);
    const c = shape[shape.length - 1]!;
    const dbeta = channelSum(b, dy, rank, `${n}/dbeta`);
    const dgamma = channelSum(b, b.node('Mul', [dy, saved['xhat']!], `${n}/dy_xhat`), rank, `${n}/dgamma`);
    const invCount = b.node('Div', [b.scalar(c), b.node('Cast', [b.node('Size', [dy], `${n}/size`)], `${n}/size_f`, { to: { int: 1 } })], `${n}/inv_count`);
    const perCell = (v: string, what: string) => perChannel(b, b.node('Mul', [v, invCount], `${n}/${what}_mean`), c, rank, `${n}/${what}_mean_b`);
    const mean = b.node('Add', [b.node('Mul', [saved['xhat']!, perCell(dgamma, 'dgamma')], `${n}/xhat_dgamma`), perCell(dbeta, 'dbeta')], `${n}/dy_explained`);
    const scale = b.node('Mul', [saved['gamma']!, saved['inv']!], `${n}/gamma_inv`);
    return {
      inputs: [b.node('Mul', [b.node('Sub', [dy, mean], `${n}/dy_centred`), scale], `${n}/dx`)],
      params: { gamma: dgamma, beta: dbeta },
    };
  },
};
