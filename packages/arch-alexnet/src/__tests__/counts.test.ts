import { describe, expect, it } from 'vitest';
import { registry } from '@convzoo/core';
import { alexnet, alexnetCards, ALEXNET_VARIANTS, PAPER_LRN } from '../index.js';

// shared/reference/architectures.md, 1000 classes, each variant's default input.
const REFERENCE = {
  paper: { trainable: 60_965_224, nonTrainable: 0, macs: 724_406_816 },
  torchvision: { trainable: 61_100_840, nonTrainable: 0, macs: 714_188_480 },
} as const;

// Built once: each is about 61M parameters.
const models = { paper: alexnet(), torchvision: alexnet({ variant: 'torchvision' }) };

describe('alexnet counts match the reference', () => {
  it.each(ALEXNET_VARIANTS)('%s: params, MACs and its card', (variant) => {
    const s = models[variant].summary();
    const ref = REFERENCE[variant];
    expect({ trainable: s.params.trainable, nonTrainable: s.params.nonTrainable, macs: s.macs }).toEqual(ref);
    const card = alexnetCards.alexnet[variant];
    expect({ ...card.params, macs: card.macs }).toEqual(ref);
    expect(card.numClasses).toBe(1000);
    expect(registry.get('alexnet').card(variant)).toBe(card);
  });

  it('default inputs: paper 227x227x3, torchvision 224x224x3', () => {
    expect(models.paper.inputShape).toEqual([227, 227, 3]);
    expect(alexnetCards.alexnet.paper.inputShape).toEqual([227, 227, 3]);
    expect(models.torchvision.inputShape).toEqual([224, 224, 3]);
    expect(alexnetCards.alexnet.torchvision.inputShape).toEqual([224, 224, 3]);
  });
});

describe('alexnet paper layers', () => {
  const m = models.paper;

  it('spatial sizes 55, 27, 13, 13, 13 -> pool5 6x6x256 -> 9216 -> 4096 -> 4096 -> 1000', () => {
    const names = ['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'pool5', 'flatten', 'fc6', 'fc7', 'fc8'];
    expect(names.map((n) => m.shapeOf(n))).toEqual([
      [55, 55, 96], [27, 27, 96], [27, 27, 256], [13, 13, 256], [13, 13, 384], [13, 13, 384], [13, 13, 256],
      [6, 6, 256], [9216], [4096], [4096], [1000],
    ]);
  });

  it('conv2, conv4 and conv5 are split in two groups (half the input channels per kernel)', () => {
    const kernels = ['conv1', 'conv2', 'conv3', 'conv4', 'conv5'].map((n) => m.weight(n, 'kernel').shape);
    expect(kernels).toEqual([[11, 11, 3, 96], [5, 5, 48, 256], [3, 3, 256, 384], [3, 3, 192, 384], [3, 3, 192, 256]]);
    expect(models.torchvision.nodes.filter((n) => n.op === 'Conv2D').map((n) => n.op === 'Conv2D' && n.attrs.groups)).toEqual([1, 1, 1, 1, 1]);
  });

  it("LRN after the ReLU of conv1 and conv2, before pool1/pool2, with the paper's constants in ONNX form", () => {
    expect(PAPER_LRN).toEqual({ size: 5, alpha: 5e-4, beta: 0.75, bias: 2 });
    const lrns = m.nodes.filter((n) => n.op === 'LRN');
    expect(lrns.map((n) => [n.name, n.inputs[0]])).toEqual([['lrn1', 'conv1_relu'], ['lrn2', 'conv2_relu']]);
    for (const n of lrns) expect(n.attrs).toEqual(PAPER_LRN);
    expect(m.nodes.filter((n) => n.op === 'MaxPool2D').map((n) => [n.name, n.inputs[0], n.op === 'MaxPool2D' && n.attrs.poolSize, n.op === 'MaxPool2D' && n.attrs.strides]))
      .toEqual([['pool1', 'lrn1', [3, 3], [2, 2]], ['pool2', 'lrn2', [3, 3], [2, 2]], ['pool5', 'conv5_relu', [3, 3], [2, 2]]]);
    expect(models.torchvision.nodes.some((n) => n.op === 'LRN')).toBe(false);
  });

  it('dropout 0.5: after fc6/fc7 ReLU in the paper, before fc6/fc7 in torchvision', () => {
    const order = (model: typeof m) => model.nodes.filter((n) => n.op === 'Dense' || n.op === 'Dropout').map((n) => n.name);
    expect(order(m)).toEqual(['fc6', 'drop6', 'fc7', 'drop7', 'fc8']);
    expect(order(models.torchvision)).toEqual(['drop6', 'fc6', 'drop7', 'fc7', 'fc8']);
    expect(m.nodes.find((n) => n.name === 'drop6')!.attrs).toEqual({ rate: 0.5 });
  });
});
