/**
 * BatchNorm. Training normalizes with the batch's mean and biased variance over every axis but
 * the channels and moves the statistics the Keras way (moving = momentum * moving +
 * (1 - momentum) * batch), as backend-tfjs does; inference uses the moving statistics.
 */
import type { OnnxGraphBuilder } from '../../graph-builder.js';
import type { TrainOp } from './types.js';
import { channelSum, perChannel, rankOf } from './tensor-ops.js';

const PARAMS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;

interface Statistics {
  readonly y: string;
  readonly xhat: string;
  /** The batch's mean and biased variance, [C]. */
  readonly mean: string;
  readonly variance: string;
  /** 1 / sqrt(variance + epsilon), shaped to broadcast. */
  readonly inv: string;
  /** gamma, shaped to broadcast (the backward pass needs it too). */
  readonly gamma: string;
}

/**
 * ONNX Runtime CPU's training-mode BatchNormalization, one fused pass; with momentum 0 its
 * running outputs are the batch mean and biased variance themselves. Its kernel writes those
 * outputs over the running-statistics inputs (they alias), so each input is a zero vector of
 * this layer's own (gamma * 0, beta * 0), never a shared constant. x-hat is one more fused
 * pass (the inference form with unit scale).
 */
function fusedStatistics(b: OnnxGraphBuilder, x: string, n: string, epsilon: number, c: number, rank: number, param: (name: string) => string): Statistics {
  const zeroFrom = (p: 'gamma' | 'beta') => b.node('Mul', [param(p), b.scalar(0)], `${n}/zero_${p === 'gamma' ? 'mean' : 'variance'}`);
  const [y, mean, variance] = b.nodeN('BatchNormalization', [x, param('gamma'), param('beta'), zeroFrom('gamma'), zeroFrom('beta')], n, {
    epsilon: { float: epsilon }, momentum: { float: 0 }, training_mode: { int: 1 },
  }, 3) as [string, string, string];
  const unit = [b.floats(`ones/${c}`, new Float32Array(c).fill(1), [c]), b.floats(`zeros/${c}`, new Float32Array(c), [c])];
  const xhat = b.node('BatchNormalization', [x, ...unit, mean, variance], `${n}/xhat`, { epsilon: { float: epsilon } });
  return { y, xhat, mean, variance, inv: inverseStd(b, variance, n, epsilon, c, rank), gamma: perChannel(b, param('gamma'), c, rank, `${n}/gamma_b`) };
}

/** The same in elementwise nodes, for runtimes whose training-mode kernel differs (cuDNN's running variance is unbiased). */
function elementwiseStatistics(b: OnnxGraphBuilder, x: string, n: string, epsilon: number, c: number, rank: number, param: (name: string) => string): Statistics {
  const axes = { ints: [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)] };
  const vector = b.int64s('shape', [c]);
  const mean = b.node('ReduceMean', [x], `${n}/mean`, { axes, keepdims: { int: 1 } });
  const centred = b.node('Sub', [x, mean], `${n}/centred`);
  const squares = b.node('ReduceMean', [b.node('Mul', [centred, centred], `${n}/squares`)], `${n}/variance`, { axes, keepdims: { int: 1 } });
  const variance = b.node('Reshape', [squares, vector], `${n}/batch_variance`);
  const inv = inverseStd(b, variance, n, epsilon, c, rank);
  const xhat = b.node('Mul', [centred, inv], `${n}/xhat`);
  const gamma = perChannel(b, param('gamma'), c, rank, `${n}/gamma_b`);
  const y = b.node('Add', [b.node('Mul', [xhat, gamma], `${n}/scaled`), perChannel(b, param('beta'), c, rank, `${n}/beta_b`)], n);
  return { y, xhat, mean: b.node('Reshape', [mean, vector], `${n}/batch_mean`), variance, inv, gamma };
}

/** 1 / sqrt(variance + epsilon) of a [C] variance, shaped to broadcast. */
const inverseStd = (b: OnnxGraphBuilder, variance: string, n: string, epsilon: number, c: number, rank: number): string =>
  perChannel(b, b.node('Reciprocal', [b.node('Sqrt', [b.node('Add', [variance, b.scalar(epsilon)], `${n}/variance_eps`)], `${n}/std`)], `${n}/inv_std`), c, rank, `${n}/inv_std_b`);

export const batchNorm: TrainOp<'BatchNorm'> = {
  forward(node, [x], { b, param, training, update, inputShapes, fusedBatchNorm }) {
    const { epsilon, momentum } = node.attrs;
    const n = node.name;
    if (!training) {
      return { y: b.node('BatchNormalization', [x!, ...PARAMS.map((p) => param(p))], n, { epsilon: { float: epsilon } }) };
    }
    const shape = inputShapes[0]!;
    const rank = rankOf(shape);
    const c = shape[shape.length - 1]!;
    const { y, xhat, mean, variance, inv, gamma } = (fusedBatchNorm ? fusedStatistics : elementwiseStatistics)(b, x!, n, epsilon, c, rank, param);
    for (const [stat, batch] of [['moving_mean', mean], ['moving_variance', variance]] as const) {
      const kept = b.node('Mul', [param(stat), b.scalar(momentum)], `${n}/${stat}_kept`);
      const added = b.node('Mul', [batch, b.scalar(1 - momentum)], `${n}/${stat}_added`);
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
