/**
 * Every op's backward rule in the generated graph against backend-tfjs's hand-written backward
 * passes on tfjs cpu (plain float32 loops), through a small classifier (the op, a flatten, a
 * 3-unit dense layer, softmax cross-entropy): the gradients of every parameter and of the input
 * agree within 1e-4 of each tensor's largest value (measured: about 1e-6). Max-pool and ReLU
 * inputs are spaced apart (no ties, nothing at a kink).
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, maxRelDiff, Model, type SymbolicTensor } from '@convzoo/core';
import { randomizeNonKernelWeights } from '@convzoo/core/testing';
import { makeBatch, ortGradients, tfjsDropoutMasks, tfjsGradients } from './gradients-helpers.js';

interface OpCase {
  readonly name: string;
  readonly inputShape: readonly number[];
  build(g: GraphBuilder, x: SymbolicTensor): SymbolicTensor;
  readonly input?: 'uniform' | 'spaced';
  readonly batch?: number;
}

const CASES: readonly OpCase[] = [
  { name: 'Conv2D 3x3 stride 2 same, bias', inputShape: [5, 5, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }) },
  { name: 'Conv2D groups=2, explicit asymmetric pads', inputShape: [4, 4, 4], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: [3, 2], padding: [[1, 0], [0, 1]], groups: 2 }) },
  { name: 'Conv2D groups=3, stride 2, unread edge', inputShape: [7, 6, 6], build: (g, x) => g.conv2d(x, { filters: 9, kernelSize: 3, strides: 2, groups: 3 }) },
  {
    name: 'Conv2D connection mask', inputShape: [4, 4, 3],
    build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 2, connectionMask: [[1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0]] }),
  },
  { name: 'Conv2D 1x1 stride 2 on an even map', inputShape: [4, 6, 3], build: (g, x) => g.conv2d(x, { filters: 2, kernelSize: 1, strides: 2, useBias: false }) },
  { name: 'Conv2D 3x3 stride 2 valid, unread edge', inputShape: [6, 6, 2], build: (g, x) => g.conv2d(x, { filters: 3, kernelSize: 3, strides: 2 }) },
  { name: 'Conv2D 3x3 stride 2 pad 1 on an even map (ResNet downsampling)', inputShape: [4, 4, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 3, strides: 2, padding: 1 }) },
  { name: 'Conv2D 3x3 stride 2 pad 1 on a 2x2 map', inputShape: [2, 2, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 3, strides: 2, padding: 1 }) },
  // 16+ input channels: the input gradient is a convolution with the flipped kernel (narrower ones use ConvTranspose).
  { name: 'Conv2D 3x3 same, 16 input channels', inputShape: [4, 4, 16], build: (g, x) => g.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same' }) },
  { name: 'Conv2D groups=4, 16 input channels, asymmetric pads', inputShape: [5, 4, 16], build: (g, x) => g.conv2d(x, { filters: 8, kernelSize: [3, 2], padding: [[2, 0], [1, 0]], groups: 4 }) },
  { name: 'Conv2D 5x5 stride 4 pad 2 (AlexNet conv1 shape)', inputShape: [13, 13, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 5, strides: 4, padding: 2 }) },
  { name: 'Conv2D 7x7 stride 2 pad 3 (ResNet stem shape)', inputShape: [9, 9, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: 7, strides: 2, padding: 3, useBias: false }) },
  // Maps over 64 cells with channels in whole 16-blocks take ONNX Runtime's blocked kernels (where it has them), forward and back.
  { name: 'Conv2D 3x3 same on a 9x9 map, 16 to 32 channels (blocked)', inputShape: [9, 9, 16], build: (g, x) => g.conv2d(x, { filters: 32, kernelSize: 3, padding: 'same' }) },
  { name: 'Conv2D 1x1 on a 9x9 map, 32 to 16 channels (blocked)', inputShape: [9, 9, 32], build: (g, x) => g.conv2d(x, { filters: 16, kernelSize: 1 }) },
  { name: 'Conv2D 3x3 stride 2 pad 1 onto a 9x9 map, 16 channels (blocked forward)', inputShape: [18, 18, 16], batch: 2, build: (g, x) => g.conv2d(x, { filters: 16, kernelSize: 3, strides: 2, padding: 1 }) },
  { name: 'Conv2D 7x7 stride 2 pad 3 from RGB onto a 9x9 map (blocked, NCHW input)', inputShape: [18, 18, 3], batch: 2, build: (g, x) => g.conv2d(x, { filters: 16, kernelSize: 7, strides: 2, padding: 3, useBias: false }) },
  { name: 'Dense', inputShape: [5], build: (g, x) => g.dense(x, { units: 3 }) },
  { name: 'Dense without bias', inputShape: [5], build: (g, x) => g.dense(x, { units: 4, useBias: false }) },
  { name: 'BatchNorm training, feature map', inputShape: [2, 2, 3], batch: 4, build: (g, x) => g.batchNorm(x, { epsilon: 1e-3 }) },
  { name: 'BatchNorm training, vector', inputShape: [4], batch: 6, build: (g, x) => g.batchNorm(x, { epsilon: 1e-3 }) },
  // A kernel covering the whole map runs as a dense layer (GEMMs).
  { name: 'Conv2D 5x5 over a 5x5 map (LeNet C5)', inputShape: [5, 5, 16], build: (g, x) => g.conv2d(x, { filters: 6, kernelSize: 5 }) },
  { name: 'Conv2D 3x2 over a 3x2 map, no bias', inputShape: [3, 2, 3], build: (g, x) => g.conv2d(x, { filters: 4, kernelSize: [3, 2], useBias: false }) },
  // Tiling windows spread gradients back with a nearest-neighbour Resize, others with ConvTranspose.
  { name: 'Subsampling (LeNet S2)', inputShape: [4, 4, 2], build: (g, x) => g.subsampling(x) },
  { name: 'Subsampling on an odd map (an unread row and column)', inputShape: [5, 5, 2], build: (g, x) => g.subsampling(x) },
  { name: 'AvgPool2D 2x2/2 (tiles)', inputShape: [4, 6, 2], build: (g, x) => g.avgPool2d(x, { poolSize: 2, strides: 2 }) },
  { name: 'MaxPool2D 2x2', inputShape: [4, 4, 2], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 2 }) },
  { name: 'MaxPool2D 3x3/2 ceil mode', inputShape: [6, 6, 2], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 3, strides: 2, ceilMode: true }) },
  { name: 'MaxPool2D 3x3/2 pad 1 (ResNet stem)', inputShape: [7, 7, 2], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 3, strides: 2, padding: 1 }) },
  { name: 'MaxPool2D same', inputShape: [5, 5, 1], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 2, strides: 2, padding: 'same' }) },
  {
    name: 'AvgPool2D count_include_pad, ceil mode', inputShape: [6, 6, 2],
    build: (g, x) => g.avgPool2d(x, { poolSize: 3, strides: 2, padding: 1, ceilMode: true, countIncludePad: true }),
  },
  {
    name: 'AvgPool2D excluding pads', inputShape: [5, 5, 2],
    build: (g, x) => g.avgPool2d(x, { poolSize: 3, strides: 2, padding: 1, countIncludePad: false }),
  },
  // Dilated pools: MaxPool's Indices with dilations; the average as a dilated window sum (Conv) and its ConvTranspose.
  { name: 'MaxPool2D dilation 2, pad 1', inputShape: [6, 6, 2], input: 'spaced', build: (g, x) => g.maxPool2d(x, { poolSize: 2, strides: 1, dilation: 2, padding: 1 }) },
  {
    name: 'AvgPool2D dilation [2, 1], count_include_pad, ceil mode', inputShape: [6, 5, 2],
    build: (g, x) => g.avgPool2d(x, { poolSize: 2, strides: 2, dilation: [2, 1], padding: 1, ceilMode: true, countIncludePad: true }),
  },
  { name: 'AvgPool2D 5x5/3 (GoogLeNet aux)', inputShape: [8, 8, 2], build: (g, x) => g.avgPool2d(x, { poolSize: 5, strides: 3 }) },
  { name: 'GlobalAvgPool2D', inputShape: [3, 3, 2], build: (g, x) => g.globalAvgPool2d(x) },
  { name: 'LRN odd size', inputShape: [2, 2, 7], build: (g, x) => g.lrn(x, { size: 5, alpha: 2, beta: 0.75, bias: 1 }) },
  { name: 'LRN even size', inputShape: [2, 2, 6], build: (g, x) => g.lrn(x, { size: 4, alpha: 2, beta: 0.75, bias: 1 }) },
  { name: 'Activation relu', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.activation(x, 'relu') },
  { name: 'Activation tanh', inputShape: [6], build: (g, x) => g.activation(x, 'tanh') },
  { name: 'Activation sigmoid', inputShape: [6], build: (g, x) => g.activation(x, 'sigmoid') },
  { name: 'Activation scaled_tanh', inputShape: [2, 2, 3], build: (g, x) => g.activation(x, 'scaled_tanh') },
  { name: 'Activation softmax (a vector)', inputShape: [5], build: (g, x) => g.activation(x, 'softmax') },
  { name: 'Activation softmax (channels of a map)', inputShape: [2, 2, 3], build: (g, x) => g.activation(x, 'softmax') },
  // spaced inputs sit 0.05 off every multiple of 0.1: both bounds clip, no value at a kink
  { name: 'Activation clip -1..0.6', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.activation(x, { fn: 'clip', min: -1, max: 0.6 }) },
  { name: 'Activation clip 0..6 (ReLU6)', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.relu6(x) },
  { name: 'Activation leaky_relu', inputShape: [3, 3, 2], input: 'spaced', build: (g, x) => g.leakyRelu(x, 0.2) },
  { name: 'Activation linear', inputShape: [4], build: (g, x) => g.activation(x, 'linear') },
  { name: 'Dropout (the masks tfjs draws)', inputShape: [8], batch: 4, build: (g, x) => g.dropout(x, 0.5) },
  { name: 'Dropout on a feature map', inputShape: [2, 3, 2], batch: 4, build: (g, x) => g.dropout(x, 0.3) },
  { name: 'Add (an input used twice)', inputShape: [2, 2, 2], build: (g, x) => g.add([x, g.activation(x, 'tanh'), x]) },
  { name: 'Add of two', inputShape: [2, 2, 2], build: (g, x) => g.add([g.activation(x, 'sigmoid'), x]) },
  { name: 'Concatenate', inputShape: [2, 2, 2], build: (g, x) => g.concatenate([g.activation(x, 'sigmoid'), x, g.conv2d(x, { filters: 3, kernelSize: 1 })]) },
  { name: 'ZeroPadding2D', inputShape: [2, 3, 2], build: (g, x) => g.zeroPadding2d(x, [[1, 0], [2, 1]]) },
  { name: 'Flatten then Dense', inputShape: [2, 2, 3], build: (g, x) => g.dense(g.flatten(x), { units: 2 }) },
  { name: 'softmax cross-entropy from logits', inputShape: [4], batch: 5, build: (_g, x) => x },
];

function classifier(c: OpCase): Model {
  const g = new GraphBuilder('case');
  let y = c.build(g, g.input(c.inputShape));
  if (y.shape.length === 3) y = g.flatten(y);
  return randomizeNonKernelWeights(Model.init(g.build([g.dense(y, { units: 3, name: 'logits' })]), 3), 4);
}

describe('generated gradients equal backend-tfjs gradients (tfjs cpu)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const model = classifier(c);
      const batch = makeBatch(model, c.batch ?? 3, c.input);
      const ref = await tfjsGradients(model, batch, 'cpu');
      const masks = await tfjsDropoutMasks(model, batch.labels.length);
      // Convolution kernel gradients in both forms: im2col (the default here) and convolution;
      // convolutions blocked (the default where ONNX Runtime has the kernels) and plain;
      // training-mode BatchNorm in both forms: fused (the default) and elementwise.
      const forms = [
        {},
        ...(model.nodes.some((n) => n.op === 'Conv2D') ? [{ im2colLimit: 0 }, { nchwcBlock: null }] : []),
        ...(model.nodes.some((n) => n.op === 'BatchNorm') ? [{ fusedBatchNorm: false }] : []),
      ];
      for (const form of forms) {
        const got = await ortGradients(model, batch, masks, form);
        expect(Math.abs(got.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(1e-5);
        for (const [key, expected] of ref.values) expect(maxRelDiff(got.values.get(key)!, expected), `${key}, ${JSON.stringify(form)}`).toBeLessThan(1e-4);
      }
    });
  }
});

/**
 * tfjs has no gradients for dilated convolutions, so they are checked against the graph's own
 * undilated rules: a 3x3 kernel with dilation 2 is the 5x5 kernel holding its taps at even
 * offsets and zeros between, and its gradient is that 5x5 kernel's gradient at those taps.
 */
describe('dilated convolutions equal their undilated equivalent', () => {
  const CONV_CASES = [
    { name: 'stride 1, 16 input channels', inputShape: [6, 6, 16], strides: 1 },
    { name: 'stride 2, 3 input channels', inputShape: [7, 7, 3], strides: 2 },
  ] as const;
  for (const c of CONV_CASES) {
    it(c.name, async () => {
      const build = (dilated: boolean) => {
        const g = new GraphBuilder('dilated');
        const conv = g.conv2d(g.input(c.inputShape), { filters: 4, kernelSize: dilated ? 3 : 5, dilation: dilated ? 2 : 1, strides: c.strides, padding: 'same', name: 'conv' });
        return Model.init(g.build([g.dense(g.flatten(conv), { units: 3, name: 'logits' })]), 7);
      };
      const dilated = randomizeNonKernelWeights(build(true), 1);
      const dense = build(false).withWeights(new Map([...dilated.weights].map(([k, t]) => [k, k === 'conv/kernel' ? { shape: [5, 5, c.inputShape[2], 4], data: new Float32Array(25 * c.inputShape[2] * 4) } : t])));
      const cin = c.inputShape[2];
      const tap = (ky: number, kx: number, i: number, o: number, size: number) => ((ky * size + kx) * cin + i) * 4 + o;
      const each = (f: (ky: number, kx: number, i: number, o: number) => void) => {
        for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) for (let i = 0; i < cin; i++) for (let o = 0; o < 4; o++) f(ky, kx, i, o);
      };
      const k3 = dilated.weight('conv', 'kernel').data;
      const k5 = dense.weight('conv', 'kernel').data;
      each((ky, kx, i, o) => (k5[tap(2 * ky, 2 * kx, i, o, 5)] = k3[tap(ky, kx, i, o, 3)]!));
      const batch = makeBatch(dilated, 3);
      const want = await ortGradients(dense, batch, new Map());
      for (const im2colLimit of [undefined, 0]) {
        const got = await ortGradients(dilated, batch, new Map(), { ...(im2colLimit !== undefined ? { im2colLimit } : {}) });
        const taps = new Float32Array(k3.length);
        const full = want.values.get('conv/kernel')!;
        each((ky, kx, i, o) => (taps[tap(ky, kx, i, o, 3)] = full[tap(2 * ky, 2 * kx, i, o, 5)]!));
        expect(maxRelDiff(got.values.get('conv/kernel')!, taps)).toBeLessThan(1e-5);
        for (const key of ['input', 'conv/bias', 'logits/kernel']) expect(maxRelDiff(got.values.get(key)!, want.values.get(key)!), key).toBeLessThan(1e-5);
      }
    });
  }
});
