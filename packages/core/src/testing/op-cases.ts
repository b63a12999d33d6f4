/**
 * Per-op conformance cases as data: a one-op graph, explicit weights and a batch-1 input with
 * its expected output worked out by hand (the comments show the arithmetic).
 */
import { GraphBuilder, type SymbolicTensor } from '../graph/builder.js';
import { Model } from '../model.js';

export interface OpCase {
  readonly name: string;
  /** Per-sample input shape. */
  readonly inputShape: readonly number[];
  readonly input: readonly number[];
  build(g: GraphBuilder, x: SymbolicTensor): SymbolicTensor;
  /** `<node>/<param>` -> values; parameters not listed keep their seeded init. */
  readonly weights?: Readonly<Record<string, readonly number[]>>;
  readonly expected: readonly number[];
}

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

export const OP_CASES: readonly OpCase[] = [
  {
    // 3x3 window sums of 0..15 on a 4x4 map: 45, 54, 81, 90; + bias 0.5
    name: 'Conv2D valid 3x3 with bias',
    inputShape: [4, 4, 1], input: iota(16),
    build: (g, x) => g.conv2d(x, { filters: 1, kernelSize: 3, name: 'op' }),
    weights: { 'op/kernel': Array(9).fill(1), 'op/bias': [0.5] },
    expected: [45.5, 54.5, 81.5, 90.5],
  },
  {
    // 'same', 3x3 stride 2 on 4x4: one pad cell, at the bottom/right (SAME_UPPER).
    // windows rows0-2/cols0-2 = 45, rows0-2/cols2-3 = 2+3+6+7+10+11 = 39,
    // rows2-3/cols0-2 = 8+9+10+12+13+14 = 66, rows2-3/cols2-3 = 10+11+14+15 = 50
    name: 'Conv2D same stride 2 odd total padding',
    inputShape: [4, 4, 1], input: iota(16),
    build: (g, x) => g.conv2d(x, { filters: 1, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'op' }),
    weights: { 'op/kernel': Array(9).fill(1) },
    expected: [45, 39, 66, 50],
  },
  {
    // explicit pads [[1,0],[0,1]] on 2x2 [1,2;3,4], 2x2 kernel of ones, out 2x2;
    // padded rows: [0,0,0; 1,2,0; 3,4,0] -> windows 3, 2, 10, 6
    name: 'Conv2D explicit asymmetric pads',
    inputShape: [2, 2, 1], input: [1, 2, 3, 4],
    build: (g, x) => g.conv2d(x, { filters: 1, kernelSize: 2, padding: [[1, 0], [0, 1]], useBias: false, name: 'op' }),
    weights: { 'op/kernel': [1, 1, 1, 1] },
    expected: [3, 2, 10, 6],
  },
  {
    // groups = 2, 1x1: kernel HWIO [1,1,2,2] = [[1,10],[100,1000]] (rows: input channel within group).
    // out0 (group 0: in 0,1) = 1*1 + 2*100 = 201; out1 (group 1: in 2,3) = 3*10 + 4*1000 = 4030
    name: 'Conv2D groups=2',
    inputShape: [1, 1, 4], input: [1, 2, 3, 4],
    build: (g, x) => g.conv2d(x, { filters: 2, kernelSize: 1, groups: 2, useBias: false, name: 'op' }),
    weights: { 'op/kernel': [1, 10, 100, 1000] },
    expected: [201, 4030],
  },
  {
    // dilation 2 on [1..5] with a 1x2 kernel of ones: 1+3, 2+4, 3+5
    name: 'Conv2D dilation 2',
    inputShape: [1, 5, 1], input: [1, 2, 3, 4, 5],
    build: (g, x) => g.conv2d(x, { filters: 1, kernelSize: [1, 2], dilation: [1, 2], useBias: false, name: 'op' }),
    weights: { 'op/kernel': [1, 1] },
    expected: [4, 6, 8],
  },
  {
    // mask [[1,0],[1,1],[0,1]]: out0 = x0 + x1 = 3, out1 = x1 + x2 = 6; the masked kernel
    // entries are 1 here too and must be ignored
    name: 'Conv2D connection mask',
    inputShape: [1, 1, 3], input: [1, 2, 4],
    build: (g, x) => g.conv2d(x, { filters: 2, kernelSize: 1, useBias: false, connectionMask: [[1, 0], [1, 1], [0, 1]], name: 'op' }),
    weights: { 'op/kernel': [1, 1, 1, 1, 1, 1] },
    expected: [3, 6],
  },
  {
    // [1,2]·[[1,2,3],[4,5,6]] + [0.5,0,0] = [9.5, 12, 15]
    name: 'Dense',
    inputShape: [2], input: [1, 2],
    build: (g, x) => g.dense(x, { units: 3, name: 'op' }),
    weights: { 'op/kernel': [1, 2, 3, 4, 5, 6], 'op/bias': [0.5, 0, 0] },
    expected: [9.5, 12, 15],
  },
  {
    // ceil mode: width 5, pool 2 stride 2 -> 3 windows, the last holds only [7]
    name: 'MaxPool2D ceil mode',
    inputShape: [1, 5, 1], input: [1, 5, 3, 2, 7],
    build: (g, x) => g.maxPool2d(x, { poolSize: [1, 2], ceilMode: true, name: 'op' }),
    expected: [5, 3, 7],
  },
  {
    // 'same' pool 3 stride 2 on width 4: pad 0 left, 1 right: max(1,2,3), max(3,4)
    name: 'MaxPool2D same',
    inputShape: [1, 4, 1], input: [1, 2, 3, 4],
    build: (g, x) => g.maxPool2d(x, { poolSize: [1, 3], strides: [1, 2], padding: 'same', name: 'op' }),
    expected: [3, 4],
  },
  {
    // max pool with explicit padding over negative values: padding never wins
    name: 'MaxPool2D explicit pads, negative input',
    inputShape: [1, 3, 1], input: [-3, -1, -2],
    build: (g, x) => g.maxPool2d(x, { poolSize: [1, 3], strides: 1, padding: [[0, 0], [1, 1]], name: 'op' }),
    expected: [-1, -1, -1],
  },
  {
    // 2x2 window, dilation 2, stride 1 on 0..15 (4x4): cells {0,2,8,10} -> 10, {1,3,9,11} -> 11,
    // {4,6,12,14} -> 14, {5,7,13,15} -> 15
    name: 'MaxPool2D dilation 2',
    inputShape: [4, 4, 1], input: iota(16),
    build: (g, x) => g.maxPool2d(x, { poolSize: 2, strides: 1, dilation: 2, name: 'op' }),
    expected: [10, 11, 14, 15],
  },
  {
    // dilated window over explicit pads, negative input: taps {-1,1} -> -1 (padding never wins),
    // {0,2} -> -2, {1,3} -> -1, {2,4(pad)} -> -2
    name: 'MaxPool2D dilation 2 explicit pads',
    inputShape: [1, 4, 1], input: [-3, -1, -2, -4],
    build: (g, x) => g.maxPool2d(x, { poolSize: [1, 2], strides: 1, dilation: [1, 2], padding: [[0, 0], [1, 1]], name: 'op' }),
    expected: [-1, -2, -1, -2],
  },
  {
    // [1..5], taps 2 apart, pads 1 each side, excluding pads: {-1,1} -> 2/1, {0,2} -> (1+3)/2,
    // {1,3} -> 3, {2,4} -> 4, {3,5(pad)} -> 4/1
    name: 'AvgPool2D dilation 2 exclude pad',
    inputShape: [1, 5, 1], input: [1, 2, 3, 4, 5],
    build: (g, x) => g.avgPool2d(x, { poolSize: [1, 2], strides: 1, dilation: [1, 2], padding: [[0, 0], [1, 1]], countIncludePad: false, name: 'op' }),
    expected: [2, 2, 3, 4, 4],
  },
  {
    // [1..6], taps 2 apart, stride 2, pads 1, ceil mode (out 4, one overhang cell), counting pads:
    // {-1(pad),1} -> 2/2, {1,3} -> (2+4)/2, {3,5} -> (4+6)/2, {5,7(overhang, never counted)} -> 6/1
    name: 'AvgPool2D dilation 2 count_include_pad ceil mode',
    inputShape: [1, 6, 1], input: [1, 2, 3, 4, 5, 6],
    build: (g, x) => g.avgPool2d(x, { poolSize: [1, 2], strides: [1, 2], dilation: [1, 2], padding: [[0, 0], [1, 1]], ceilMode: true, countIncludePad: true, name: 'op' }),
    expected: [1, 3, 5, 6],
  },
  {
    // pads 1 each side on [3,6,9], window 3: (0+3+6)/3, (3+6+9)/3, (6+9+0)/3
    name: 'AvgPool2D count_include_pad',
    inputShape: [1, 3, 1], input: [3, 6, 9],
    build: (g, x) => g.avgPool2d(x, { poolSize: [1, 3], strides: 1, padding: [[0, 0], [1, 1]], countIncludePad: true, name: 'op' }),
    expected: [3, 6, 5],
  },
  {
    // same, excluding pads: (3+6)/2, (3+6+9)/3, (6+9)/2
    name: 'AvgPool2D exclude pad',
    inputShape: [1, 3, 1], input: [3, 6, 9],
    build: (g, x) => g.avgPool2d(x, { poolSize: [1, 3], strides: 1, padding: [[0, 0], [1, 1]], countIncludePad: false, name: 'op' }),
    expected: [4.5, 6, 7.5],
  },
  {
    // ceil mode: [1..5], pool 2 stride 2: 1.5, 3.5, then 5/1 (the overhang is never counted)
    name: 'AvgPool2D ceil mode',
    inputShape: [1, 5, 1], input: [1, 2, 3, 4, 5],
    build: (g, x) => g.avgPool2d(x, { poolSize: [1, 2], ceilMode: true, name: 'op' }),
    expected: [1.5, 3.5, 5],
  },
  {
    name: 'GlobalAvgPool2D',
    inputShape: [2, 2, 2], input: [1, 10, 2, 20, 3, 30, 6, 60],
    build: (g, x) => g.globalAvgPool2d(x, 'op'),
    expected: [3, 30],
  },
  {
    // channels-last flatten: (h0,w0,c0), (h0,w0,c1), (h0,w1,c0), ... (NCHW would give 1,3,2,4)
    name: 'Flatten channels-last order',
    inputShape: [1, 2, 2], input: [1, 2, 3, 4],
    build: (g, x) => g.flatten(x, 'op'),
    expected: [1, 2, 3, 4],
  },
  {
    name: 'Dropout is identity at inference',
    inputShape: [3], input: [1, -2, 3],
    build: (g, x) => g.dropout(x, 0.5, 'op'),
    expected: [1, -2, 3],
  },
  {
    // (x - mean) / sqrt(var + eps) * gamma + beta: (1-1)/2*2+0 = 0; (3-1)/4*1+1 = 1.5
    name: 'BatchNorm inference',
    inputShape: [1, 1, 2], input: [1, 3],
    build: (g, x) => g.batchNorm(x, { epsilon: 1, name: 'op' }),
    weights: { 'op/gamma': [2, 1], 'op/beta': [0, 1], 'op/moving_mean': [1, 1], 'op/moving_variance': [3, 15] },
    expected: [0, 1.5],
  },
  {
    // size 3, alpha 3 (alpha/size = 1), beta 1, bias 1 on [1,2,3]:
    // 1/(1+1+4) = 1/6, 2/(1+1+4+9) = 2/15, 3/(1+4+9) = 3/14
    name: 'LRN odd size',
    inputShape: [1, 1, 3], input: [1, 2, 3],
    build: (g, x) => g.lrn(x, { size: 3, alpha: 3, beta: 1, bias: 1, name: 'op' }),
    expected: [1 / 6, 2 / 15, 3 / 14],
  },
  {
    // size 2 (window c..c+1 per ONNX), alpha 2, beta 0.5, bias 1:
    // 1/sqrt(1+1+4) , 2/sqrt(1+4+9), 3/sqrt(1+9)
    name: 'LRN even size and fractional beta',
    inputShape: [1, 1, 3], input: [1, 2, 3],
    build: (g, x) => g.lrn(x, { size: 2, alpha: 2, beta: 0.5, bias: 1, name: 'op' }),
    expected: [1 / Math.sqrt(6), 2 / Math.sqrt(14), 3 / Math.sqrt(10)],
  },
  { name: 'Activation relu', inputShape: [3], input: [-1, 0, 2], build: (g, x) => g.activation(x, 'relu', 'op'), expected: [0, 0, 2] },
  {
    // tanh(1) = 0.7615941559557649, tanh(-0.5) = -0.46211715726000974
    name: 'Activation tanh', inputShape: [3], input: [1, 0, -0.5],
    build: (g, x) => g.activation(x, 'tanh', 'op'), expected: [0.7615941559557649, 0, -0.46211715726000974],
  },
  {
    // 1/(1+e^-2) = 0.8807970779778823
    name: 'Activation sigmoid', inputShape: [2], input: [0, 2],
    build: (g, x) => g.activation(x, 'sigmoid', 'op'), expected: [0.5, 0.8807970779778823],
  },
  {
    // exp([0, ln2, ln4]) = [1, 2, 4] / 7
    name: 'Activation softmax', inputShape: [3], input: [0, Math.LN2, 2 * Math.LN2],
    build: (g, x) => g.activation(x, 'softmax', 'op'), expected: [1 / 7, 2 / 7, 4 / 7],
  },
  {
    // 1.7159 * tanh(2/3 * 1.5) = 1.7159 * tanh(1) = 1.3068 (0.7615941559557649 * 1.7159)
    name: 'Activation scaled_tanh (LeNet-5)', inputShape: [2], input: [1.5, 0],
    build: (g, x) => g.activation(x, 'scaled_tanh', 'op'), expected: [1.7159 * 0.7615941559557649, 0],
  },
  {
    // ReLU6 (torchvision MobileNet, tf2onnx's Relu6): min(max(x, 0), 6)
    name: 'Activation clip 0..6 (ReLU6)', inputShape: [4], input: [-1, 3, 6, 7.5],
    build: (g, x) => g.relu6(x, 'op'), expected: [0, 3, 6, 6],
  },
  {
    // only a lower bound: max(x, -1)
    name: 'Activation clip min only', inputShape: [3], input: [-2, -0.5, 100],
    build: (g, x) => g.activation(x, { fn: 'clip', min: -1 }, 'op'), expected: [-1, -0.5, 100],
  },
  {
    // x < 0 ? 0.1 x : x
    name: 'Activation leaky_relu alpha 0.1', inputShape: [3], input: [-2, 0, 3],
    build: (g, x) => g.leakyRelu(x, 0.1, 'op'), expected: [-0.2, 0, 3],
  },
  {
    // x + relu(x): [-1, 2] -> [-1, 4]
    name: 'Add', inputShape: [2], input: [-1, 2],
    build: (g, x) => g.add([x, g.relu(x)], 'op'), expected: [-1, 4],
  },
  {
    name: 'Concatenate channels', inputShape: [1, 1, 2], input: [1, 2],
    build: (g, x) => g.concatenate([x, g.relu(x), x], 'op'), expected: [1, 2, 1, 2, 1, 2],
  },
  {
    // [[1,0],[0,1]] around a single 5: rows [0,0], [5,0]
    name: 'ZeroPadding2D', inputShape: [1, 1, 1], input: [5],
    build: (g, x) => g.zeroPadding2d(x, [[1, 0], [0, 1]], 'op'), expected: [0, 0, 5, 0],
  },
  {
    // (1+2+3+4) * 0.5 + 1 = 6; channel 2: (10+20+30+40) * 2 - 1 = 199
    name: 'Subsampling (LeNet-5 S2)', inputShape: [2, 2, 2], input: [1, 10, 2, 20, 3, 30, 4, 40],
    build: (g, x) => g.subsampling(x, { name: 'op' }),
    weights: { 'op/coefficient': [0.5, 2], 'op/bias': [1, -1] },
    expected: [6, 199],
  },
];

/** Builds the one-op model of a case with its explicit weights. */
export function opCaseModel(c: OpCase): Model {
  const g = new GraphBuilder(c.name.replace(/[^A-Za-z0-9]+/g, '_'));
  const y = c.build(g, g.input(c.inputShape));
  const model = Model.init(g.build([y]), 1);
  for (const [key, values] of Object.entries(c.weights ?? {})) {
    const t = model.weights.get(key);
    if (t === undefined || t.data.length !== values.length) throw new Error(`case "${c.name}": bad weight ${key}`);
    t.data.set(values);
  }
  return model;
}
