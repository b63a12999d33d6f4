import { describe, expect, it } from 'vitest';
import { ShapeError, create } from '@convzoo/core';
import { alexnet, alexnetCards, ALEXNET_VARIANTS } from '../index.js';

// Stage maps at each variant's default input.
const STAGES = {
  paper: { pool1: [27, 27, 96], pool2: [13, 13, 256], pool5: [6, 6, 256] },
  torchvision: { pool1: [27, 27, 64], pool2: [13, 13, 192], pool5: [6, 6, 256] },
} as const;

describe.each(ALEXNET_VARIANTS)('alexnet %s output shapes', (variant) => {
  const min = alexnetCards.alexnet[variant].minInputSize;
  const small = [min, min, 3] as const;

  it('includeTop false: pool5 6x6x256, or avg / max pooled to 256', () => {
    expect(alexnet({ variant, includeTop: false }).outputShapes).toEqual([[6, 6, 256]]);
    for (const pooling of ['avg', 'max'] as const) {
      const m = alexnet({ variant, includeTop: false, pooling });
      expect(m.outputShapes).toEqual([[256]]);
      expect(m.graph.outputs).toEqual(['global_pool']);
    }
  });

  it('features: pool1, pool2, pool5, or the named ones in the order given', () => {
    expect(alexnet({ variant, features: true }).outputShapes).toEqual(Object.values(STAGES[variant]));
    expect(alexnet({ variant, features: ['pool5', 'pool1'] }).outputShapes).toEqual([STAGES[variant].pool5, STAGES[variant].pool1]);
    expect(() => alexnet({ variant, features: ['conv3'] })).toThrow('unknown feature stage "conv3"; expected one of: pool1, pool2, pool5');
  });

  it('numClasses and softmax; the classifier follows the input size (fc6 fan-in 1x1x256 at the minimum input)', () => {
    const m = alexnet({ variant, inputShape: small, numClasses: 10, classifierActivation: 'softmax' });
    expect(m.graph.outputs).toEqual(['predictions']);
    expect(m.outputShapes).toEqual([[10]]);
    expect(m.shapeOf('pool5')).toEqual([1, 1, 256]);
    expect(m.weight('fc6', 'kernel').shape).toEqual([256, 4096]);
    expect(m.weight('fc8', 'kernel').shape).toEqual([4096, 10]);
  });

  it('refuses one pixel below its card minInputSize with a ShapeError naming pool5', () => {
    const build = () => alexnet({ variant, inputShape: [min - 1, min - 1, 3], includeTop: false });
    expect(build).toThrow(ShapeError);
    expect(build).toThrow(/^node "pool5": \(MaxPool2D\) pool 3x3 does not fit input 2x2x256 .*too small for this layer$/);
  });
});

describe('alexnet at other input sizes', () => {
  it('paper at 224 gives pool5 5x5; torchvision at 256 gives 7x7; non-square inputs work', () => {
    expect(alexnet({ inputShape: [224, 224, 3], includeTop: false }).outputShapes).toEqual([[5, 5, 256]]);
    expect(alexnet({ variant: 'torchvision', inputShape: [256, 256, 3], includeTop: false }).outputShapes).toEqual([[7, 7, 256]]);
    expect(alexnet({ inputShape: [227, 300, 3], includeTop: false }).outputShapes).toEqual([[6, 8, 256]]);
  });

  it('an 8x8 input is a ShapeError naming the layer where the map vanishes, from the builder and the registry alike', () => {
    const message = "node \"conv1\": (Conv2D) kernel 11x11 does not fit input 8x8x3 with padding 'valid'; the input is too small for this layer";
    expect(() => alexnet({ inputShape: [8, 8, 3] })).toThrow(message);
    expect(() => create('alexnet', { inputShape: [8, 8, 3] })).toThrow(message);
    // torchvision pads conv1 by 2: 12x12 gives a 1x1 map, which pool1 cannot take.
    expect(() => alexnet({ variant: 'torchvision', inputShape: [8, 8, 3] })).toThrow(/^node "pool1": \(MaxPool2D\) pool 3x3 does not fit input 1x1x64 /);
  });
});

describe('alexnet options', () => {
  it('dropout sets both classifier dropouts; 0 leaves them out', { timeout: 60_000 }, () => {
    const rates = (o: { dropout?: number }) =>
      alexnet({ inputShape: [67, 67, 3], ...o }).nodes.filter((n) => n.op === 'Dropout').map((n) => [n.name, n.op === 'Dropout' && n.attrs.rate]);
    expect(rates({})).toEqual([['drop6', 0.5], ['drop7', 0.5]]);
    expect(rates({ dropout: 0.2 })).toEqual([['drop6', 0.2], ['drop7', 0.2]]);
    expect(rates({ dropout: 0 })).toEqual([]);
  });

  it('an unknown variant is an error listing the valid ones', () => {
    expect(() => alexnet({ variant: 'caffe' as never })).toThrow('unknown variant "caffe" for alexnet; expected one of: paper, torchvision');
    expect(() => create('alexnet', { variant: 'caffe' })).toThrow('expected one of: paper, torchvision');
  });
});
