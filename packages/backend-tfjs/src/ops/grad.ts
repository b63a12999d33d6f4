import * as tf from '@tensorflow/tfjs-core';

const constants = new WeakSet<tf.Tensor>();

/** Marks a tensor no gradient is wanted for (the batch fed to a training step). */
export function markConstant(t: tf.Tensor): void {
  constants.add(t);
}

/**
 * `forward(inputs)` with a hand-written backward pass: `backward(dy, saved, needs)` returns one
 * gradient per input (inputs may be variables), and may leave out (undefined) those `needs`
 * marks unwanted, such as the input image's gradient in the first layer. A typed wrapper of
 * tf.customGrad; with no gradient tape running it costs one tidy scope. Every tensor the
 * backward pass reads must travel in `saved`: tfjs disposes whatever else the forward pass
 * created (constants built by the op's run included) before the backward pass starts.
 */
export function differentiable(
  inputs: readonly tf.Tensor[],
  forward: (xs: readonly tf.Tensor[]) => { value: tf.Tensor; saved?: tf.Tensor[] },
  backward: (dy: tf.Tensor, saved: tf.Tensor[], needs: readonly boolean[]) => (tf.Tensor | undefined)[],
): tf.Tensor {
  const needs = inputs.map((t) => !constants.has(t));
  const f = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const { value, saved } = forward(args as tf.Tensor[]);
    save(saved ?? []);
    return {
      value,
      gradFunc: (dy: tf.Tensor, s: tf.Tensor[]) => backward(dy, s, needs).map((g, i) => g ?? tf.zeros(inputs[i]!.shape)),
    };
  }) as never) as (...xs: tf.Tensor[]) => tf.Tensor;
  return f(...inputs);
}

/**
 * Sums over every axis but the last (a per-channel bias or scale gradient, batch statistics).
 * As ones[1, M] x t[M, C]: tfjs's Sum transposes the reduced axes innermost first, which made
 * it 6x (cpu) to 20x (wasm) slower than the matrix product on activation-sized tensors.
 */
export function channelSum(t: tf.Tensor): tf.Tensor {
  const c = t.shape[t.rank - 1]!;
  const m = t.size / c;
  return tf.reshape(tf.matMul(tf.ones([1, m]), tf.reshape(t, [m, c])), [c]);
}

/** Per-channel mean and biased variance over every axis but the last. */
export function channelMoments(t: tf.Tensor): { mean: tf.Tensor; variance: tf.Tensor } {
  const m = t.size / t.shape[t.rank - 1]!;
  const mean = tf.div(channelSum(t), m);
  return { mean, variance: tf.div(channelSum(tf.square(tf.sub(t, mean))), m) };
}

/** tfjs explicit padding for NHWC from [[top, bottom], [left, right]]. */
export function nhwcPads(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/** Runs a tfjs kernel that has no public op (the gradient kernels). */
export function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);
}
