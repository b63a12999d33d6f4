import { describe, expect, it } from 'vitest';
import { ConvzooError } from '@convzoo/core';
import { resnet18, resnet50 } from '../index.js';

describe('resnet50 graph', () => {
  const paper = resnet50();
  const tv = resnet50({ variant: 'torchvision' });

  it('gives logits for 1000 classes by default', () => {
    expect(paper.outputShapes).toEqual([[1000]]);
    expect(paper.graph.outputs).toEqual(['fc']);
  });

  it('has the stage sizes of the paper (Table 1)', () => {
    expect(paper.shapeOf('relu')).toEqual([112, 112, 64]);
    expect(paper.shapeOf('maxpool')).toEqual([56, 56, 64]);
    expect(paper.shapeOf('layer1_2_relu')).toEqual([56, 56, 256]);
    expect(paper.shapeOf('layer2_3_relu')).toEqual([28, 28, 512]);
    expect(paper.shapeOf('layer3_5_relu')).toEqual([14, 14, 1024]);
    expect(paper.shapeOf('layer4_2_relu')).toEqual([7, 7, 2048]);
    expect(paper.shapeOf('avgpool')).toEqual([2048]);
  });

  it('keras: Keras\'s ZeroPadding2D + valid stem conv and pool, conv biases, eps 1.001e-5, stride on the first 1x1', () => {
    const keras = resnet50({ variant: 'keras' });
    const node = (name: string) => keras.nodes.find((n) => n.name === name)!;
    expect([node('conv1_pad').op, node('conv1_pad').attrs]).toEqual(['ZeroPadding2D', { padding: [[3, 3], [3, 3]] }]);
    expect(node('conv1').inputs).toEqual(['conv1_pad']);
    expect(node('conv1').attrs).toMatchObject({ kernelSize: [7, 7], strides: [2, 2], padding: [[0, 0], [0, 0]], useBias: true });
    expect(node('bn1').attrs).toEqual({ epsilon: 1.001e-5, momentum: 0.99 });
    expect([node('pool1_pad').op, node('pool1_pad').attrs]).toEqual(['ZeroPadding2D', { padding: [[1, 1], [1, 1]] }]);
    expect(node('maxpool').attrs).toMatchObject({ poolSize: [3, 3], strides: [2, 2], padding: [[0, 0], [0, 0]] });
    expect(node('layer2_0_conv1').attrs).toMatchObject({ strides: [2, 2], useBias: true });
    expect(node('layer2_0_conv2').attrs).toMatchObject({ strides: [1, 1], padding: [[1, 1], [1, 1]] });
    expect(keras.shapeOf('maxpool')).toEqual([56, 56, 64]);
    expect(keras.shapeOf('layer4_2_relu')).toEqual([7, 7, 2048]);
    expect(keras.paramEntries().find((p) => p.key === 'layer1_0_downsample_0/bias')?.shape).toEqual([256]);
  });

  it('uses torchvision names and explicit pads', () => {
    const node = (m: typeof paper, name: string) => m.nodes.find((n) => n.name === name)!;
    expect(node(paper, 'conv1').attrs).toMatchObject({ kernelSize: [7, 7], strides: [2, 2], padding: [[3, 3], [3, 3]], useBias: false });
    expect(node(paper, 'bn1').attrs).toEqual({ epsilon: 1e-5, momentum: 0.9 });
    expect(node(paper, 'maxpool').attrs).toMatchObject({ poolSize: [3, 3], strides: [2, 2], padding: [[1, 1], [1, 1]], ceilMode: false });
    expect(paper.weight('layer1_0_conv1', 'kernel').shape).toEqual([1, 1, 64, 64]);
    expect(paper.weight('layer1_0_downsample_0', 'kernel').shape).toEqual([1, 1, 64, 256]);
    expect(paper.weight('layer1_0_downsample_1', 'moving_variance').shape).toEqual([256]);
    expect(paper.weight('fc', 'kernel').shape).toEqual([2048, 1000]);
  });

  it('projects the shortcut only where the shape changes (option B)', () => {
    const projected = paper.nodes.filter((n) => n.name.endsWith('_downsample_0')).map((n) => n.name);
    expect(projected).toEqual(['layer1_0_downsample_0', 'layer2_0_downsample_0', 'layer3_0_downsample_0', 'layer4_0_downsample_0']);
    expect(paper.nodes.find((n) => n.name === 'layer1_1_add')!.inputs).toEqual(['layer1_1_bn3', 'layer1_0_relu']);
  });

  it('puts the stride on the first 1x1 (paper, v1) or on the 3x3 (torchvision, v1.5)', () => {
    const strides = (m: typeof paper) => ['layer2_0_conv1', 'layer2_0_conv2', 'layer2_0_conv3', 'layer2_0_downsample_0']
      .map((name) => (m.nodes.find((n) => n.name === name)!.attrs as { strides: readonly number[] }).strides[0]);
    expect(strides(paper)).toEqual([2, 1, 1, 2]);
    expect(strides(tv)).toEqual([1, 2, 1, 2]);
    expect(paper.shapeOf('layer2_0_conv1')).toEqual([28, 28, 128]);
    expect(tv.shapeOf('layer2_0_conv1')).toEqual([56, 56, 128]);
  });

  it('has a ReLU after every residual add', () => {
    const adds = paper.nodes.filter((n) => n.op === 'Add');
    expect(adds).toHaveLength(16);
    for (const a of adds) {
      const after = paper.nodes.filter((n) => n.inputs.includes(a.name));
      expect(after.map((n) => [n.op, n.attrs])).toEqual([['Activation', { fn: 'relu' }]]);
    }
  });
});

describe('options', () => {
  it('returns every stage as features, like timm features_only', () => {
    const m = resnet50({ features: true });
    expect(m.graph.outputs).toEqual(['relu', 'layer1_2_relu', 'layer2_3_relu', 'layer3_5_relu', 'layer4_2_relu']);
    expect(m.outputShapes).toEqual([[112, 112, 64], [56, 56, 256], [28, 28, 512], [14, 14, 1024], [7, 7, 2048]]);
    expect(m.nodes.some((n) => n.name === 'fc')).toBe(false);
  });

  it('returns the named stages in the order given', () => {
    expect(resnet18({ features: ['layer4', 'layer2'] }).outputShapes).toEqual([[7, 7, 512], [28, 28, 128]]);
    expect(() => resnet18({ features: ['layer5'] })).toThrow('unknown feature stage "layer5"; expected one of: stem, layer1, layer2, layer3, layer4');
  });

  it('drops the classifier with includeTop false, pooling as asked', () => {
    expect(resnet18({ includeTop: false }).outputShapes).toEqual([[7, 7, 512]]);
    expect(resnet18({ includeTop: false, pooling: 'avg' }).outputShapes).toEqual([[512]]);
    const max = resnet18({ includeTop: false, pooling: 'max' });
    expect(max.outputShapes).toEqual([[512]]);
    expect(max.summary().params.trainable).toBe(11_689_512 - 513_000);
  });

  it('adds softmax and dropout only when asked', () => {
    const m = resnet18({ classifierActivation: 'softmax', dropout: 0.25, numClasses: 7 });
    expect(m.graph.outputs).toEqual(['predictions']);
    expect(m.outputShapes).toEqual([[7]]);
    expect(m.nodes.find((n) => n.name === 'dropout')!.attrs).toEqual({ rate: 0.25 });
    expect(resnet18().nodes.some((n) => n.op === 'Dropout' || n.op === 'Activation' && n.attrs.fn === 'softmax')).toBe(false);
  });

  it('accepts other input sizes, down to 1x1', () => {
    const m160 = resnet50({ inputShape: [160, 160, 3], features: true });
    expect(m160.outputShapes).toEqual([[80, 80, 64], [40, 40, 256], [20, 20, 512], [10, 10, 1024], [5, 5, 2048]]);
    expect(resnet18({ inputShape: [97, 130, 1] }).outputShapes).toEqual([[1000]]);
    expect(resnet18({ inputShape: [97, 130, 1], features: ['layer4'] }).outputShapes).toEqual([[4, 5, 512]]);
    const tiny = resnet50({ inputShape: [1, 1, 3], features: true, variant: 'torchvision' });
    expect(tiny.outputShapes).toEqual([[1, 1, 64], [1, 1, 256], [1, 1, 512], [1, 1, 1024], [1, 1, 2048]]);
    // MACs scale with the map area: the 1x1 input runs each conv on one pixel.
    expect(tiny.summary().macs).toBe(tiny.summary().layers.filter((l) => l.op === 'Conv2D').reduce((n, l) => n + l.params.trainable, 0));
  });

  it('rejects bad options with a clear error', () => {
    expect(() => resnet18({ inputShape: [0, 32, 3] })).toThrow('resnet18: inputShape must be [H, W, C] of positive integers, got [0,32,3]');
    expect(() => resnet18({ numClasses: 2.5 })).toThrow(ConvzooError);
    expect(() => resnet18({ variant: 'v2' as never })).toThrow('unknown variant "v2" for resnet18; expected one of: paper, torchvision');
  });
});

describe('seeded init', () => {
  it('is reproducible from the seed', () => {
    const a = resnet18({ seed: 7, numClasses: 10 });
    const b = resnet18({ seed: 7, numClasses: 10 });
    const c = resnet18({ seed: 8, numClasses: 10 });
    const bytes = (t: { data: Float32Array }) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    expect([...b.weights.keys()]).toEqual([...a.weights.keys()]);
    for (const [key, t] of a.weights) expect(bytes(b.weights.get(key)!).equals(bytes(t)), key).toBe(true);
    expect(bytes(c.weight('conv1', 'kernel')).equals(bytes(a.weight('conv1', 'kernel')))).toBe(false);
    // He normal: std sqrt(2 / fan_in) = sqrt(2 / 147) for the 7x7x3 stem.
    const k = a.weight('conv1', 'kernel').data;
    const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 147), 2);
  });
});
