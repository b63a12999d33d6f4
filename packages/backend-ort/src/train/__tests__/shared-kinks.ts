/**
 * ReLU and max pooling are not differentiable at their kinks (an input at 0, two window values
 * equal). Two float32 implementations of a deep network compute every value a little
 * differently, so where a value lies within that rounding of a kink they take different
 * branches, and training-mode BatchNorm spreads that one difference over the whole batch. To
 * compare the backward rules themselves, the architecture tests let backend-tfjs take ONNX
 * Runtime's branch at every kink, as both already share the dropout masks: ReLU's gradient
 * passes where ONNX Runtime's output is positive, max pooling's goes to the first maximum of
 * ONNX Runtime's input. tfjs's own forward values are kept so that the tests can check that
 * every branch the two took differently was a near-tie (kinkDisagreements).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@convzoo/core';
import { differentiable, maxPoolArgmax, maxPoolGradient, OP_KERNELS } from '@convzoo/backend-tfjs/testing';

/** ONNX Runtime's forward values (NHWC) by node name, while a tfjs run takes their branches. */
let branches: ReadonlyMap<string, Float32Array> | undefined;
/** tfjs's own forward values at the kinks in that run: ReLU outputs, max-pool inputs. */
const own = new Map<string, Float32Array>();

const original = { Activation: OP_KERNELS.Activation, MaxPool2D: OP_KERNELS.MaxPool2D };
const kernels = OP_KERNELS as { -readonly [K in keyof typeof OP_KERNELS]: (typeof OP_KERNELS)[K] };

kernels.Activation = {
  op: 'Activation',
  run(node, [x], ctx) {
    if (branches === undefined || node.attrs.fn !== 'relu') return original.Activation.run(node, [x!], ctx);
    const passes = Float32Array.from(branches.get(node.name)!, (v) => (v > 0 ? 1 : 0));
    return differentiable(
      [x!],
      ([xi]) => {
        const y = tf.relu(xi!);
        own.set(node.name, y.dataSync() as Float32Array);
        return { value: y };
      },
      (dy) => [tf.mul(dy, tf.tensor(passes, dy.shape))],
    );
  },
};

kernels.MaxPool2D = {
  op: 'MaxPool2D',
  run(node, [x], ctx) {
    if (branches === undefined) return original.MaxPool2D.run(node, [x!], ctx);
    const theirs = branches.get(node.inputs[0]!)!;
    const shape = x!.shape;
    own.set(node.inputs[0]!, x!.dataSync() as Float32Array);
    return differentiable(
      [x!],
      ([xi]) => ({ value: original.MaxPool2D.run(node, [xi!], ctx) }),
      (dy) => [tf.tensor(maxPoolGradient(theirs, dy.dataSync(), shape, node.attrs), shape)],
    );
  },
};

/** Runs `body` with tfjs taking ONNX Runtime's branches; also returns tfjs's own values at the kinks. */
export async function withBranchesOf<T>(ort: ReadonlyMap<string, Float32Array>, body: () => Promise<T>): Promise<T & { own: Map<string, Float32Array> }> {
  branches = ort;
  own.clear();
  try {
    return { ...(await body()), own: new Map(own) };
  } finally {
    branches = undefined;
  }
}

export interface Disagreement {
  /** Kinks where the two forward passes took different branches. */
  readonly count: number;
  /** The widest of them as a fraction of its layer's largest value: how far from a tie. */
  readonly widest: number;
}

const largest = (v: Float32Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * Where tfjs's and ONNX Runtime's forward values take different branches: a ReLU output
 * positive on one side only (width: that value), or a max-pool window whose first maximum
 * differs (width: the gap between the two candidates in ONNX Runtime's values).
 */
export function kinkDisagreements(model: Model, n: number, tfjsOwn: ReadonlyMap<string, Float32Array>, ort: ReadonlyMap<string, Float32Array>): Disagreement {
  let count = 0;
  let widest = 0;
  for (const node of model.nodes) {
    if (node.op === 'Activation' && node.attrs.fn === 'relu') {
      const [a, b] = [tfjsOwn.get(node.name)!, ort.get(node.name)!];
      const scale = largest(b);
      a.forEach((v, i) => {
        if (v > 0 !== b[i]! > 0) {
          count++;
          widest = Math.max(widest, Math.max(v, b[i]!) / scale);
        }
      });
    } else if (node.op === 'MaxPool2D') {
      const input = node.inputs[0]!;
      const [a, b] = [tfjsOwn.get(input)!, ort.get(input)!];
      const shape = [n, ...model.shapeOf(input)];
      const [ia, ib] = [maxPoolArgmax(a, shape, node.attrs), maxPoolArgmax(b, shape, node.attrs)];
      const scale = largest(b);
      ia.forEach((at, o) => {
        if (at !== ib[o]) {
          count++;
          widest = Math.max(widest, Math.abs(b[at]! - b[ib[o]!]!) / scale);
        }
      });
    }
  }
  return { count, widest };
}
