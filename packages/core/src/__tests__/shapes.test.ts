import { describe, expect, it } from 'vitest';
import { GraphBuilder, axisWindow } from '../index.js';

const input = (shape: number[]) => {
  const g = new GraphBuilder('t');
  return { g, x: g.input(shape) };
};

describe('axisWindow', () => {
  it.each([
    // size, kernel, stride, dilation, padding, ceil -> out, before, after, ceilExtra
    [224, 7, 2, 1, 'same', false, 112, 2, 3, 0], // even remainder: more at the end (SAME_UPPER)
    [225, 7, 2, 1, 'same', false, 113, 3, 3, 0], // odd size: symmetric
    [4, 3, 2, 1, 'same', false, 2, 0, 1, 0],
    [5, 2, 2, 1, 'same', false, 3, 0, 1, 0],
    [227, 11, 4, 1, 'valid', false, 55, 0, 0, 0],
    [224, 3, 2, 1, [1, 1], false, 112, 1, 1, 0],
    [5, 3, 1, 2, 'valid', false, 1, 0, 0, 0], // dilation 2: span 5
    [112, 3, 2, 1, 'valid', true, 56, 0, 0, 1], // ceil: 55.5 -> 56, overhang 1
    [112, 3, 2, 1, 'valid', false, 55, 0, 0, 0],
    [14, 3, 2, 1, 'valid', true, 7, 0, 0, 1],
    [5, 2, 2, 1, [1, 1], true, 3, 1, 1, 0], // a 4th window would start in the trailing pad: dropped (PyTorch)
  ] as const)('size %i k%i s%i d%i %j ceil=%s', (size, k, s, d, pad, ceil, out, before, after, extra) => {
    expect(axisWindow(size, k, s, d, pad as never, ceil)).toEqual({ out, padBefore: before, padAfter: after, ceilExtra: extra });
  });

  it('reports a window that does not fit as out 0', () => {
    expect(axisWindow(3, 7, 1, 1, 'valid').out).toBe(0);
  });
});

describe('shape inference per op', () => {
  it('Conv2D valid, same, explicit, strides, dilation and groups', () => {
    const { g, x } = input([227, 227, 3]);
    expect(g.conv2d(x, { filters: 96, kernelSize: 11, strides: 4 }).shape).toEqual([55, 55, 96]);
    expect(g.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', strides: 2 }).shape).toEqual([114, 114, 8]);
    expect(g.conv2d(x, { filters: 8, kernelSize: 7, padding: 3, strides: 2 }).shape).toEqual([114, 114, 8]);
    expect(g.conv2d(x, { filters: 8, kernelSize: 3, padding: [[0, 1], [2, 0]] }).shape).toEqual([226, 227, 8]);
    expect(g.conv2d(x, { filters: 8, kernelSize: 3, dilation: 2 }).shape).toEqual([223, 223, 8]);
    const y = g.conv2d(x, { filters: 96, kernelSize: 1 });
    expect(g.conv2d(y, { filters: 256, kernelSize: 5, padding: 2, groups: 2 }).shape).toEqual([227, 227, 256]);
  });

  it('pools with ceil mode, same padding and explicit pads', () => {
    const { g, x } = input([112, 112, 64]);
    expect(g.maxPool2d(x, { poolSize: 3, strides: 2, ceilMode: true }).shape).toEqual([56, 56, 64]);
    expect(g.maxPool2d(x, { poolSize: 3, strides: 2 }).shape).toEqual([55, 55, 64]);
    expect(g.maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' }).shape).toEqual([56, 56, 64]);
    expect(g.avgPool2d(x, { poolSize: 3, strides: 1, padding: 1 }).shape).toEqual([112, 112, 64]);
    expect(g.maxPool2d(x, { poolSize: 2 }).shape).toEqual([56, 56, 64]); // strides default to poolSize
    // dilation 2 spans 5 cells, as Conv2D's: (112 - 5) / 2 + 1 = 54; padded by 2: (116 - 5) / 2 + 1 = 56
    expect(g.maxPool2d(x, { poolSize: 3, strides: 2, dilation: 2 }).shape).toEqual([54, 54, 64]);
    expect(g.avgPool2d(x, { poolSize: 3, strides: 2, dilation: 2, padding: 2 }).shape).toEqual([56, 56, 64]);
  });

  it('the other ops', () => {
    const { g, x } = input([7, 7, 512]);
    expect(g.flatten(x).shape).toEqual([25088]);
    expect(g.globalAvgPool2d(x).shape).toEqual([512]);
    expect(g.zeroPadding2d(x, [[1, 2], [3, 4]]).shape).toEqual([10, 14, 512]);
    expect(g.subsampling(x).shape).toEqual([3, 3, 512]);
    expect(g.concatenate([x, g.relu(x)]).shape).toEqual([7, 7, 1024]);
    expect(g.add([x, g.batchNorm(x), g.lrn(x, { size: 5, alpha: 1e-4, beta: 0.75, bias: 2 })]).shape).toEqual([7, 7, 512]);
    expect(g.dense(g.flatten(x), { units: 10 }).shape).toEqual([10]);
  });
});

describe('validation errors name the node', () => {
  it('a kernel larger than its input', () => {
    const { g, x } = input([3, 3, 64]);
    expect(() => g.conv2d(x, { filters: 8, kernelSize: 7, name: 'big' })).toThrow(
      'node "big": (Conv2D) kernel 7x7 does not fit input 3x3x64 with padding \'valid\'; the input is too small for this layer',
    );
  });

  it('a pool on a vanished map', () => {
    const { g, x } = input([2, 2, 4]);
    expect(() => g.maxPool2d(x, { poolSize: 3, name: 'p' })).toThrow('node "p": (MaxPool2D) pool 3x3 does not fit input 2x2x4');
    expect(() => g.maxPool2d(x, { poolSize: 2, dilation: 2, name: 'd' })).toThrow('node "d": (MaxPool2D) pool 2x2 dilation [2,2] does not fit input 2x2x4');
    // pads are checked against the dilated window: 2 < 3 passes, 3 does not
    expect(g.maxPool2d(x, { poolSize: 2, dilation: 2, padding: 2, strides: 1 }).shape).toEqual([4, 4, 4]);
    expect(() => g.maxPool2d(x, { poolSize: 2, dilation: 2, padding: 3, name: 'e' })).toThrow('explicit pool padding [[3,3],[3,3]] must be smaller than the window [3,3]');
  });

  it('bad attributes', () => {
    const { g, x } = input([8, 8, 4]);
    expect(() => g.conv2d(x, { filters: 0, kernelSize: 3, name: 'c' })).toThrow('node "c": (Conv2D) filters must be a positive integer, got 0');
    expect(() => g.conv2d(x, { filters: 6, kernelSize: 3, groups: 4, name: 'c' })).toThrow('filters (6) must be divisible by groups (4)');
    expect(() => g.conv2d(x, { filters: 8, kernelSize: 3, groups: 8, name: 'c' })).toThrow('node "c": (Conv2D) input channels (4) must be divisible by groups (8)');
    expect(() => g.dropout(x, 1, 'd')).toThrow('node "d": (Dropout) rate must be in [0, 1), got 1');
    expect(() => g.activation(x, 'gelu' as never, 'a')).toThrow('unknown activation "gelu"; expected one of linear, relu, tanh, sigmoid, softmax, scaled_tanh, leaky_relu, clip');
    expect(() => g.activation(x, 'leaky_relu', 'a')).toThrow('node "a": (Activation) leaky_relu alpha must be a finite number, got undefined');
    expect(() => g.activation(x, 'clip', 'a')).toThrow('node "a": (Activation) activation clip needs min, max or both (ReLU6 is min 0, max 6)');
    expect(() => g.activation(x, { fn: 'clip', min: 6, max: 0 }, 'a')).toThrow('clip min 6 must not exceed max 0');
    expect(() => g.activation(x, { fn: 'relu', alpha: 0.1 }, 'a')).toThrow('node "a": (Activation) activation relu takes no alpha');
    expect(() => g.activation(x, { fn: 'leaky_relu', alpha: 0.1, max: 6 }, 'a')).toThrow('activation leaky_relu takes no max, only alpha');
    expect(() => g.maxPool2d(x, { poolSize: 2, dilation: 0, name: 'p' })).toThrow('node "p": (MaxPool2D) dilation[0] must be a positive integer, got 0');
    expect(() => g.dense(x, { units: 10, name: 'fc' })).toThrow('node "fc": (Dense) Dense expects a flat input [features], got [8, 8, 4]; insert a Flatten or GlobalAvgPool2D first');
    expect(() => g.conv2d(x, { filters: 2, kernelSize: 1, connectionMask: [[1, 0]], name: 'm' })).toThrow('connectionMask has 1 rows, expected one per input channel (4)');
  });

  it('mismatched Add and Concatenate', () => {
    const { g, x } = input([8, 8, 4]);
    const y = g.maxPool2d(x, { poolSize: 2 });
    expect(() => g.add([x, y], 'sum')).toThrow('node "sum": (Add) Add needs equal shapes, got [8, 8, 4] and [4, 4, 4]');
    expect(() => g.concatenate([x, y], 'cat')).toThrow('node "cat": (Concatenate) Concatenate needs equal shapes except the last axis');
  });

  it('duplicate names', () => {
    const { g, x } = input([8, 8, 4]);
    g.relu(x, 'r');
    expect(() => g.relu(x, 'r')).toThrow('node "r": duplicate node name');
  });
});
