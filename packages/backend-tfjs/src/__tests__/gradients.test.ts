/**
 * Analytic gradients (the hand-written backward passes, through tf.variableGrads) against
 * central finite differences of the float32 forward pass in training mode, for every op with
 * parameters and every parameter-free op on a loss path, on cpu and wasm (whose conv filter
 * gradients come from this package's Conv2DBackpropFilter kernel). The loss is sum(y * R) for a
 * fixed random R, or the training loss itself. Inputs keep clear of kinks (max-pool ties, relu
 * at 0). Measured errors are 1e-6..2e-4 of the largest gradient.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder, maxRelDiff, Model, rng, sizeOf, type SymbolicTensor } from '@convzoo/core';
import { randomizeNonKernelWeights } from '@convzoo/core/testing';
import { tfjs } from '../index.js';
import { useDevice } from '../devices.js';
import { differentiable } from '../ops/grad.js';
import { runGraph } from '../run-graph.js';
import { softmaxCrossEntropy } from '../train/loss.js';

interface GradCase {
  readonly name: string;
  readonly inputShape: readonly number[];
  build(g: GraphBuilder, x: SymbolicTensor): SymbolicTensor;
  /** Input values: 'normal' (default) or distinct values spaced apart (max pooling, relu). */
  readonly input?: 'normal' | 'spaced';
  readonly batch?: number;
  /** 'crossEntropy': the training loss on the output as logits, labels 0, 1, 2, ... */
  readonly loss?: 'crossEntropy';
}

const CASES: readonly GradCase[] = [
  { name: 'Conv2D 3x3 stride 2 same, bias', inputShape: [5, 5, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }) },
  { name: 'Conv2D groups=2, explicit asymmetric pads', inputShape: [4, 4, 4], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: [3, 2], padding: [[1, 0], [0, 1]], groups: 2 }) },
  {
    name: 'Conv2D connection mask', inputShape: [4, 4, 3],
    build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 2, connectionMask: [[1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0]] }),
  },
  // Rows and columns the forward pass never reads: the filter-gradient kernel crops them.
  { name: 'Conv2D 1x1 stride 2 on an even map', inputShape: [4, 6, 3], build: (g, x) => g.conv2d(x, { filters: 2, kernelSize: 1, strides: 2, useBias: false }) },
  { name: 'Conv2D 3x3 stride 2 valid, unread edge', inputShape: [6, 6, 2], build: (g, x) => g.conv2d(x, { filters: 3, kernelSize: 3, strides: 2 }) },
  { name: 'Dense', inputShape: [5], build: (g, x) => g.dense(x, { units: 3 }) },
  { name: 'BatchNorm training, feature map', inputShape: [2, 2, 3], batch: 4, build: (g, x) => g.batchNorm(x, { epsilon: 1e-3 }) },
  { name: 'BatchNorm training, vector', inputShape: [4], batch: 6, build: (g, x) => g.batchNorm(x, { epsilon: 1e-3 }) },
  { name: 'Subsampling (LeNet S2)', inputShape: [4, 4, 2], build: (g, x) => g.subsampling(x) },
  { name: 'MaxPool2D 3x3/2 ceil mode', inputShape: [6, 6, 2], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 3, strides: 2, ceilMode: true }) },
  { name: 'MaxPool2D same', inputShape: [5, 5, 1], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 2, strides: 2, padding: 'same' }) },
  {
    name: 'AvgPool2D count_include_pad, ceil mode', inputShape: [6, 6, 2],
    build: (g, x) => g.avgPool2d(x, { poolSize: 3, strides: 2, padding: 1, ceilMode: true, countIncludePad: true }),
  },
  {
    name: 'AvgPool2D excluding pads', inputShape: [5, 5, 2],
    build: (g, x) => g.avgPool2d(x, { poolSize: 3, strides: 2, padding: 1, countIncludePad: false }),
  },
  { name: 'MaxPool2D dilation 2, explicit pads', inputShape: [6, 6, 2], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 2, strides: 1, dilation: 2, padding: 1 }) },
  {
    name: 'AvgPool2D dilation [2, 1], count_include_pad, ceil mode', inputShape: [6, 5, 2],
    build: (g, x) => g.avgPool2d(x, { poolSize: 2, strides: 2, dilation: [2, 1], padding: 1, ceilMode: true, countIncludePad: true }),
  },
  { name: 'GlobalAvgPool2D', inputShape: [3, 3, 2], build: (g, x) => g.globalAvgPool2d(x) },
  { name: 'LRN odd size (tfjs kernel)', inputShape: [2, 2, 7], build: (g, x) => g.lrn(x, { size: 5, alpha: 2, beta: 0.75, bias: 1 }) },
  { name: 'LRN even size (composite)', inputShape: [2, 2, 6], build: (g, x) => g.lrn(x, { size: 4, alpha: 2, beta: 0.75, bias: 1 }) },
  { name: 'Activation relu', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.activation(x, 'relu') },
  { name: 'Activation tanh', inputShape: [6], build: (g, x) => g.activation(x, 'tanh') },
  { name: 'Activation sigmoid', inputShape: [6], build: (g, x) => g.activation(x, 'sigmoid') },
  { name: 'Activation scaled_tanh', inputShape: [6], build: (g, x) => g.activation(x, 'scaled_tanh') },
  // spaced inputs are 0.05 off every multiple of 0.1, so both bounds clip some values and no kink is near
  { name: 'Activation clip -1..0.6', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.activation(x, { fn: 'clip', min: -1, max: 0.6 }) },
  { name: 'Activation leaky_relu', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.leakyRelu(x, 0.2) },
  { name: 'Activation softmax', inputShape: [5], build: (g, x) => g.activation(x, 'softmax') },
  { name: 'Dropout (training, fixed seed)', inputShape: [8], build: (g, x) => g.dropout(x, 0.5) },
  { name: 'Add', inputShape: [2, 2, 2], build: (g, x) => g.add([x, g.activation(x, 'tanh'), x]) },
  { name: 'Concatenate', inputShape: [2, 2, 2], build: (g, x) => g.concatenate([g.activation(x, 'sigmoid'), x]) },
  { name: 'ZeroPadding2D', inputShape: [2, 3, 2], build: (g, x) => g.zeroPadding2d(x, [[1, 0], [2, 1]]) },
  { name: 'softmax cross-entropy from logits', inputShape: [4], batch: 3, loss: 'crossEntropy', build: (g, x) => g.dense(x, { units: 3 }) },
  { name: 'Flatten then Dense', inputShape: [2, 2, 3], build: (g, x) => g.dense(g.flatten(x), { units: 2 }) },
];

function inputFor(c: GradCase, n: number): Float32Array {
  const size = n * sizeOf(c.inputShape);
  const next = rng(11, c.name);
  if (c.input === 'spaced') {
    // A shuffled ramp: neighbours differ by >= 0.1 and nothing sits near 0, far beyond eps.
    const values = Array.from({ length: size }, (_, i) => (i - size / 2 + 0.5) * 0.1);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    return Float32Array.from(values);
  }
  return Float32Array.from({ length: size }, () => 2 * next() - 1);
}

/** sum(y * r), with its gradient r (the projection keeps every gradient generic). */
const project = (y: tf.Tensor, r: tf.Tensor) => differentiable([y], ([v]) => ({ value: tf.sum(tf.mul(v!, r)) }), (dy) => [tf.mul(dy, r)]);

const EPS = 1e-2;

async function gradientErrors(device: 'cpu' | 'wasm', c: GradCase): Promise<{ errors: Record<string, number>; masked: number[] }> {
  const g = new GraphBuilder('grad');
  const out = c.build(g, g.input(c.inputShape));
  const model = randomizeNonKernelWeights(Model.init(g.build([out]), 3), 4);
  const n = c.batch ?? 2;
  await tfjs({ device }).device();
  await useDevice(device);
  const vars = new Map(model.paramEntries().map((p) => {
    const t = model.weights.get(p.key)!;
    return [p.key, tf.tidy(() => tf.variable(tf.tensor(t.data, [...t.shape]), p.trainable))];
  }));
  const x = tf.tidy(() => tf.variable(tf.tensor(inputFor(c, n), [n, ...c.inputShape])));
  const r = tf.tensor(Float32Array.from({ length: n * sizeOf(out.shape) }, rng(5, 'r')), [n, ...out.shape]);
  const onehot = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % out.shape[0]!), 'int32'), out.shape[0]!);
  const loss = () => {
    const [y] = runGraph(model, x, vars, { training: true, outputs: [out.name], dropout: { seed: 9, step: 0 } });
    return (c.loss === 'crossEntropy' ? softmaxCrossEntropy([y!], [1], onehot) : project(y!, r)) as tf.Scalar;
  };
  const targets = new Map<string, tf.Variable>([['input', x], ...[...vars].filter(([k]) => model.paramEntries().find((p) => p.key === k)!.trainable)]);
  const errors: Record<string, number> = {};
  let masked: number[] = [];
  try {
    const { value, grads } = tf.variableGrads(loss, [...targets.values()]);
    value.dispose();
    for (const [key, v] of targets) {
      const analytic = grads[v.name]!.dataSync() as Float32Array;
      const base = v.dataSync().slice() as Float32Array;
      const numeric = new Float32Array(base.length);
      for (let i = 0; i < base.length; i++) {
        const at = (delta: number) => {
          const moved = base.slice();
          moved[i] = base[i]! + delta;
          tf.tidy(() => v.assign(tf.tensor(moved, v.shape)));
          return tf.tidy(() => loss().dataSync()[0]!);
        };
        numeric[i] = (at(EPS) - at(-EPS)) / (2 * EPS);
      }
      tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
      errors[key] = maxRelDiff(analytic, numeric);
      const node = model.nodes.find((nd) => `${nd.name}/kernel` === key);
      if (node?.op === 'Conv2D' && node.attrs.connectionMask) {
        // Entries the connection map leaves out get no gradient at all.
        const mask = node.attrs.connectionMask;
        const [cin, cout] = v.shape.slice(2) as [number, number];
        masked = [...analytic].filter((_, i) => mask[Math.floor(i / cout) % cin]![i % cout] === 0);
        expect(masked.length).toBeGreaterThan(0);
      }
    }
    tf.dispose(Object.values(grads));
  } finally {
    tf.dispose([x, r, onehot, ...vars.values()]);
  }
  return { errors, masked };
}

for (const device of ['cpu', 'wasm'] as const) {
  describe(`gradients on tfjs ${device} match finite differences`, () => {
    for (const c of CASES) {
      it(c.name, async () => {
        const { errors, masked } = await gradientErrors(device, c);
        for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(1e-3);
        expect(masked.every((v) => v === 0)).toBe(true);
      });
    }
  });
}

/** dW[i, j, c, o] = sum_{n, y, x} X[n, y*s + i - top, x*s + j - left, c] * dY[n, y, x, o], in float64. */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, k: readonly [number, number], s: number, top: number, left: number): Float64Array {
  const [n, h, w, c] = x.shape;
  const [, oh, ow, o] = dy.shape;
  const xd = x.dataSync();
  const dyd = dy.dataSync();
  const out = new Float64Array(k[0] * k[1] * c * o);
  for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) for (let i = 0; i < k[0]; i++) for (let j = 0; j < k[1]; j++) {
    const iy = y * s + i - top;
    const ix = xx * s + j - left;
    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
    for (let ci = 0; ci < c; ci++) for (let oo = 0; oo < o; oo++) {
      out[((i * k[1] + j) * c + ci) * o + oo]! += xd[((b * h + iy) * w + ix) * c + ci]! * dyd[((b * oh + y) * ow + xx) * o + oo]!;
    }
  }
  return out;
}

describe('the Conv2DBackpropFilter kernel (Transpose + Conv2D) matches its definition', () => {
  // [input [N, H, W, C], kernel, stride, tfjs pad, resolved top/left pads, filters]
  const geometries: [string, [number, number, number, number], [number, number], number, tf.backend_util.ExplicitPadding | 'same' | 'valid', number, number, number][] = [
    ['3x3 stride 1 valid', [2, 6, 5, 3], [3, 3], 1, 'valid', 0, 0, 4],
    ['5x5 stride 1 same', [3, 7, 7, 2], [5, 5], 1, 'same', 2, 2, 3],
    ['3x3 stride 2 same, odd total', [2, 8, 8, 3], [3, 3], 2, 'same', 0, 0, 2],
    ['7x7 stride 2 explicit 3 (ResNet stem)', [1, 16, 16, 3], [7, 7], 2, [[0, 0], [3, 3], [3, 3], [0, 0]], 3, 3, 4],
    ['1x1 stride 2, unread last row and column', [2, 6, 6, 4], [1, 1], 2, 'valid', 0, 0, 3],
    ['2x3 stride 3 explicit asymmetric', [1, 9, 10, 2], [2, 3], 3, [[0, 0], [1, 0], [0, 2], [0, 0]], 1, 0, 2],
  ];
  for (const device of ['cpu', 'wasm'] as const) {
    for (const [name, xShape, k, s, pad, top, left, filters] of geometries) {
      it(`${device}: ${name}`, async () => {
        await tfjs({ device }).device();
        await useDevice(device);
        const next = rng(1, name);
        const x = tf.tensor4d(Float32Array.from({ length: sizeOf(xShape) }, () => next() - 0.5), xShape);
        const filterShape: [number, number, number, number] = [k[0], k[1], xShape[3], filters];
        const dyShape = tf.tidy(() => tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, s, pad).shape);
        const dy = tf.tensor4d(Float32Array.from({ length: sizeOf(dyShape) }, () => next() - 0.5), dyShape);
        const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [s, s], pad, dataFormat: 'NHWC', filterShape } as never) as tf.Tensor;
        expect(dw.shape).toEqual(filterShape);
        expect(maxRelDiff(dw.dataSync(), filterGradient(x, dy, k, s, top, left))).toBeLessThan(1e-6);
        tf.dispose([x, dy, dw]);
      });
    }
  }
});

describe('max-pool gradients go to each window\'s first maximum, exactly', () => {
  // One 2x2 window (pool 2x2 / 2) per case: its values, then where the gradient must land.
  const windows: [string, number[], number][] = [
    ['all negative', [-3, -1, -2, -5], 1],
    ['a zero among negatives', [-3, 0, -2, -5], 1],
    ['all zero (first cell)', [0, 0, 0, 0], 0],
    ['a tie (first of the two)', [0.5, 2, 1, 2], 1],
    // Shifting the inputs by 1 - min(x) to make them positive would round these two together.
    ['two positives 1e-7 apart beside a large negative', [1.0000001, 1.0000002, -1000, 0], 1],
    ['two negatives 6e-5 apart beside a larger negative', [-1000, -999.99994, -1e6, -1001], 1],
  ];
  const g = new GraphBuilder('pool');
  const out = g.maxPool2d(g.input([2, 4, 1]), { poolSize: 2, strides: 2 });
  const model = Model.init(g.build([out]), 1);
  for (const device of ['cpu', 'wasm'] as const) {
    for (const [name, values, at] of windows) {
      it(`${device}: ${name}`, async () => {
        await tfjs({ device }).device();
        await useDevice(device);
        // The window under test beside one whose maximum is positive: a batch mixes both kinds.
        const [a, b, c, d] = values as [number, number, number, number];
        const x = tf.tensor4d([a, b, 9, 1, c, d, 3, 4], [1, 2, 4, 1]);
        const r = tf.tensor([5, 7], [1, 1, 2, 1]);
        const dx = tf.grad((v: tf.Tensor) => project(runGraph(model, v, new Map(), { training: true, outputs: [out.name] })[0]!, r))(x);
        const expected = [0, 0, 7, 0, 0, 0, 0, 0];
        expected[[0, 1, 4, 5][at]!] = 5;
        expect(Array.from(dx.dataSync())).toEqual(expected);
        tf.dispose([x, r, dx]);
      });
    }
  }
});
