import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './types.js';
import { channelMoments, channelSum, differentiable } from './grad.js';

/**
 * Inference normalizes with the moving statistics. Training normalizes with the batch's mean
 * and (biased) variance over every axis but the channel one, and moves the statistics the Keras
 * way: moving = momentum * moving + (1 - momentum) * batch.
 */
export const batchNorm: OpKernel<'BatchNorm'> = {
  op: 'BatchNorm',
  run(node, [x], ctx) {
    const { epsilon, momentum } = node.attrs;
    const gamma = ctx.param('gamma');
    const beta = ctx.param('beta');
    if (!ctx.training) return tf.batchNorm(x!, ctx.param('moving_mean'), ctx.param('moving_variance'), beta, gamma, epsilon);

    // The statistics enter the backward pass through the formula below, not through the tape.
    const { mean, variance } = channelMoments(x!);
    const count = x!.size / x!.shape[x!.rank - 1]!;
    const y = differentiable(
      [x!, gamma, beta],
      ([xi, g, b]) => ({ value: tf.batchNorm(xi!, mean, variance, b, g, epsilon), saved: [xi!, g!, mean, variance] }),
      (dy, [xi, g, mu, v]) => {
        const inv = tf.rsqrt(tf.add(v!, epsilon));
        const xhat = tf.mul(tf.sub(xi!, mu!), inv);
        const dxhat = tf.mul(dy, g!);
        // dx = inv / M * (M * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))
        const centred = tf.sub(tf.sub(tf.mul(dxhat, count), channelSum(dxhat)), tf.mul(xhat, channelSum(tf.mul(dxhat, xhat))));
        return [tf.mul(centred, tf.div(inv, count)), channelSum(tf.mul(dy, xhat)), channelSum(dy)];
      },
    );
    const moved = (name: string, batch: tf.Tensor) => tf.add(tf.mul(ctx.param(name), momentum), tf.mul(batch, 1 - momentum));
    ctx.assign('moving_mean', moved('moving_mean', mean));
    ctx.assign('moving_variance', moved('moving_variance', variance));
    return y;
  },
};
