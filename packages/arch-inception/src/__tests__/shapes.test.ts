import { describe, expect, it } from 'vitest';
import { ShapeError, type Model } from '@convzoo/core';
import { googlenet } from '../index.js';

const attrs = (m: Model, name: string) => m.nodes.find((n) => n.name === name)!.attrs;

// The paper's Table 1, at 224x224x3.
const TABLE_1: readonly [string, readonly number[]][] = [
  ['conv1_relu', [112, 112, 64]],
  ['pool1', [56, 56, 64]],
  ['conv2_relu', [56, 56, 192]],
  ['pool2', [28, 28, 192]],
  ['inception_3a_output', [28, 28, 256]],
  ['inception_3b_output', [28, 28, 480]],
  ['pool3', [14, 14, 480]],
  ['inception_4a_output', [14, 14, 512]],
  ['inception_4b_output', [14, 14, 512]],
  ['inception_4c_output', [14, 14, 512]],
  ['inception_4d_output', [14, 14, 528]],
  ['inception_4e_output', [14, 14, 832]],
  ['pool4', [7, 7, 832]],
  ['inception_5a_output', [7, 7, 832]],
  ['inception_5b_output', [7, 7, 1024]],
  ['avgpool', [1, 1, 1024]],
  ['fc', [1000]],
];

describe.each(['paper', 'torchvision'] as const)('googlenet %s', (variant) => {
  const m = googlenet({ variant });

  it.each(TABLE_1)('%s is %j (Table 1)', (node, shape) => {
    expect(m.shapeOf(node)).toEqual(shape);
  });

  it('feeds the auxiliary heads 4x4 maps of 4a and 4d', () => {
    expect(m.nodes.find((n) => n.name === 'aux1_pool')!.inputs).toEqual(['inception_4a_output']);
    expect(m.nodes.find((n) => n.name === 'aux2_pool')!.inputs).toEqual(['inception_4d_output']);
    expect(m.shapeOf('aux1_pool')).toEqual([4, 4, 512]);
    expect(m.shapeOf('aux2_pool')).toEqual([4, 4, 528]);
    expect(attrs(m, 'aux1_pool')).toMatchObject({ poolSize: [5, 5], strides: [3, 3], padding: 'valid' });
    expect(m.shapeOf('aux1_flatten')).toEqual([2048]);
    expect(m.shapeOf('aux1_fc1')).toEqual([1024]);
    expect(attrs(m, 'aux1_dropout')).toEqual({ rate: 0.7 });
  });

  it('pools before the 1x1 projection, as the paper (not the article code)', () => {
    expect(m.nodes.find((n) => n.name === 'inception_3a_pool')!.inputs).toEqual(['pool2']);
    expect(attrs(m, 'inception_3a_pool')).toMatchObject({ poolSize: [3, 3], strides: [1, 1], padding: [[1, 1], [1, 1]] });
    expect(m.nodes.find((n) => n.name === 'inception_3a_pool_proj')!.inputs).toEqual(['inception_3a_pool']);
    expect(m.nodes.find((n) => n.name === 'inception_3a_output')!.inputs)
      .toEqual(['inception_3a_1x1_relu', 'inception_3a_3x3_relu', 'inception_3a_5x5_relu', 'inception_3a_pool_proj_relu']);
  });

  it('rounds its stride-2 max pools up (ceil mode)', () => {
    for (const p of ['pool1', 'pool2', 'pool3', 'pool4']) expect(attrs(m, p)).toMatchObject({ strides: [2, 2], padding: 'valid', ceilMode: true });
  });
});

describe('variant details', () => {
  const paper = googlenet();
  const tv = googlenet({ variant: 'torchvision' });

  it('paper: conv biases, 5x5 branches, LRN with Caffe constants, 3x3 pool4, dropout 0.4', () => {
    expect(attrs(paper, 'conv1')).toMatchObject({ kernelSize: [7, 7], strides: [2, 2], padding: [[3, 3], [3, 3]], useBias: true });
    expect(attrs(paper, 'inception_4d_5x5')).toMatchObject({ kernelSize: [5, 5], padding: [[2, 2], [2, 2]], filters: 64 });
    expect(paper.nodes.filter((n) => n.op === 'LRN').map((n) => [n.name, n.inputs[0], n.attrs]))
      .toEqual([['norm1', 'pool1', { size: 5, alpha: 1e-4, beta: 0.75, bias: 1 }], ['norm2', 'conv2_relu', { size: 5, alpha: 1e-4, beta: 0.75, bias: 1 }]]);
    expect(paper.nodes.some((n) => n.op === 'BatchNorm')).toBe(false);
    expect(attrs(paper, 'pool4')).toMatchObject({ poolSize: [3, 3] });
    expect(attrs(paper, 'dropout')).toEqual({ rate: 0.4 });
  });

  it('torchvision: BatchNorm eps 1e-3 after every conv, no bias, 3x3 "5x5" branch, no LRN, 2x2 pool4, dropout 0.2', () => {
    const convs = tv.nodes.filter((n) => n.op === 'Conv2D');
    expect(convs).toHaveLength(59);
    for (const c of convs) {
      expect(c.attrs).toMatchObject({ useBias: false });
      expect(tv.nodes.find((n) => n.inputs[0] === c.name)!.attrs).toEqual({ epsilon: 1e-3, momentum: 0.9 });
    }
    expect(attrs(tv, 'inception_4d_5x5')).toMatchObject({ kernelSize: [3, 3], padding: [[1, 1], [1, 1]] });
    expect(tv.nodes.some((n) => n.op === 'LRN')).toBe(false);
    expect(attrs(tv, 'pool4')).toMatchObject({ poolSize: [2, 2] });
    expect(attrs(tv, 'dropout')).toEqual({ rate: 0.2 });
    expect(tv.weight('aux1_conv_bn', 'moving_mean').shape).toEqual([128]);
  });
});

describe('options', () => {
  it('returns the stage feature maps, without heads', () => {
    const m = googlenet({ features: true });
    expect(m.graph.outputs).toEqual(['conv1_relu', 'norm2', 'inception_3b_output', 'inception_4e_output', 'inception_5b_output']);
    expect(m.outputShapes).toEqual([[112, 112, 64], [56, 56, 192], [28, 28, 480], [14, 14, 832], [7, 7, 1024]]);
    expect(m.graph.trainingOutputs).toBeUndefined();
    expect(m.nodes.some((n) => n.name === 'fc' || n.name.startsWith('aux'))).toBe(false);
    expect(googlenet({ variant: 'torchvision', features: ['inception4', 'conv2'] }).outputShapes).toEqual([[14, 14, 832], [56, 56, 192]]);
    expect(() => googlenet({ features: ['stem'] })).toThrow('unknown feature stage "stem"; expected one of: conv1, conv2, inception3, inception4, inception5');
  });

  it('drops the classifiers with includeTop false, pooling as asked', () => {
    const none = googlenet({ includeTop: false });
    expect(none.outputShapes).toEqual([[7, 7, 1024]]);
    expect(none.graph.trainingOutputs).toBeUndefined();
    expect(none.summary().params.trainable).toBe(6_998_552 - 1_025_000);
    expect(googlenet({ includeTop: false, pooling: 'avg' }).outputShapes).toEqual([[1024]]);
    expect(googlenet({ includeTop: false, pooling: 'max', variant: 'torchvision' }).outputShapes).toEqual([[1024]]);
  });

  it('applies numClasses, softmax and dropout to every head', () => {
    const m = googlenet({ numClasses: 10, classifierActivation: 'softmax', dropout: 0.5 });
    expect(m.graph.outputs).toEqual(['predictions']);
    expect(m.graph.trainingOutputs).toEqual(['aux1_predictions', 'aux2_predictions']);
    expect([m.shapeOf('predictions'), m.shapeOf('aux1_predictions'), m.shapeOf('aux2_predictions')]).toEqual([[10], [10], [10]]);
    expect(attrs(m, 'dropout')).toEqual({ rate: 0.5 });
    expect(attrs(m, 'aux1_dropout')).toEqual({ rate: 0.7 });
    expect(googlenet({ dropout: 0 }).nodes.some((n) => n.name === 'dropout')).toBe(false);
  });

  it('follows other input sizes with its final average pool', () => {
    const m = googlenet({ inputShape: [299, 299, 3] });
    expect(m.shapeOf('inception_4a_output')).toEqual([18, 18, 512]);
    expect(m.shapeOf('inception_5b_output')).toEqual([9, 9, 1024]);
    expect(attrs(m, 'avgpool')).toMatchObject({ poolSize: [9, 9] });
    expect(m.shapeOf('avgpool')).toEqual([1, 1, 1024]);
    expect(m.shapeOf('aux1_pool')).toEqual([5, 5, 512]);
    expect(m.outputShapes).toEqual([[1000]]);
    expect(googlenet({ inputShape: [160, 256, 1], auxClassifiers: false }).shapeOf('inception_5b_output')).toEqual([5, 8, 1024]);
  });
});

describe('smallest inputs', () => {
  const shapeError = (f: () => unknown): ShapeError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ShapeError);
      return e as ShapeError;
    }
    throw new Error('expected a ShapeError');
  };

  it('needs 79x79 for the auxiliary classifiers, and says how to go lower', () => {
    for (const variant of ['paper', 'torchvision'] as const) {
      expect(googlenet({ variant, inputShape: [79, 79, 3] }).shapeOf('aux1_pool')).toEqual([1, 1, 512]);
      const e = shapeError(() => googlenet({ variant, inputShape: [78, 78, 3] }));
      expect(e.node).toBe('aux1_pool');
      expect(e.code).toBe('SHAPE_INVALID');
      expect(e.message).toBe(
        "node \"aux1_pool\": (AvgPool2D) the auxiliary classifier's 5x5/3 average pool does not fit the 4x4 map it reads; with auxiliary classifiers " +
          `the input must be at least 79x79 (auxClassifiers: false builds down to ${variant === 'paper' ? '47x47' : '31x31'})`,
      );
    }
  });

  it('without them: 47x47 (paper) and 31x31 (torchvision), where pool4 still fits', () => {
    expect(googlenet({ auxClassifiers: false, inputShape: [47, 47, 3] }).shapeOf('inception_5b_output')).toEqual([1, 1, 1024]);
    expect(shapeError(() => googlenet({ auxClassifiers: false, inputShape: [46, 46, 3] })).message).toBe(
      'node "pool4": (MaxPool2D) pool 3x3 does not fit input 2x2x832 with padding \'valid\'; the input is too small for this layer',
    );
    expect(googlenet({ variant: 'torchvision', auxClassifiers: false, inputShape: [31, 31, 3] }).outputShapes).toEqual([[1000]]);
    expect(shapeError(() => googlenet({ variant: 'torchvision', auxClassifiers: false, inputShape: [30, 30, 3] })).message).toBe(
      'node "pool4": (MaxPool2D) pool 2x2 does not fit input 1x1x832 with padding \'valid\'; the input is too small for this layer',
    );
    expect(googlenet({ features: true, inputShape: [47, 47, 3] }).outputShapes.at(-1)).toEqual([1, 1, 1024]);
  });

  it('rejects bad options with a clear error', () => {
    expect(() => googlenet({ inputShape: [224, 224] as never })).toThrow('googlenet: inputShape must be [H, W, C] of positive integers, got [224,224]');
    expect(() => googlenet({ variant: 'v3' as never })).toThrow('unknown variant "v3" for googlenet; expected one of: paper, torchvision');
    expect(() => googlenet({ dropout: 1 })).toThrow('googlenet: dropout must be in [0, 1), got 1');
  });
});
