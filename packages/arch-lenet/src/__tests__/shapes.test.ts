import { describe, expect, it } from 'vitest';
import { ConvzooError, ShapeError, create } from '@convzoo/core';
import { lenet5, lenetCards, LENET_VARIANTS } from '../index.js';

// Feature-extractor output at 32x32x1 (includeTop false), its params, and every stage map.
const FEATURES = {
  paper: { last: [1, 1, 120], params: 156 + 12 + 1_516 + 32 + 48_120, stages: { s2: [14, 14, 6], s4: [5, 5, 16], c5: [1, 1, 120] } },
  modern: { last: [5, 5, 16], params: 156 + 2_416, stages: { pool1: [14, 14, 6], pool2: [5, 5, 16] } },
  article: { last: [8, 8, 50], params: 520 + 25_050, stages: { pool1: [16, 16, 20], pool2: [8, 8, 50] } },
} as const;

describe.each(LENET_VARIANTS)('lenet5 %s output shapes', (variant) => {
  const f = FEATURES[variant];
  const channels = f.last[2];

  it('logits by default; numClasses; softmax as Keras', () => {
    expect(lenet5({ variant }).outputShapes).toEqual([[10]]);
    expect(lenet5({ variant, numClasses: 7 }).outputShapes).toEqual([[7]]);
    const soft = lenet5({ variant, classifierActivation: 'softmax' });
    expect(soft.graph.outputs).toEqual(['predictions']);
    expect(soft.outputShapes).toEqual([[10]]);
  });

  it('includeTop false: the map, or avg / max pooled to a vector', () => {
    const base = lenet5({ variant, includeTop: false });
    expect(base.outputShapes).toEqual([f.last]);
    expect(base.summary().params.trainable).toBe(f.params);
    for (const pooling of ['avg', 'max'] as const) {
      const m = lenet5({ variant, includeTop: false, pooling });
      expect(m.outputShapes).toEqual([[channels]]);
      expect(m.summary().params.trainable).toBe(f.params);
    }
  });

  it('features: every stage, or the named ones in the order given', () => {
    const names = Object.keys(f.stages);
    expect(lenet5({ variant, features: true }).outputShapes).toEqual(Object.values(f.stages));
    const reversed = [...names].reverse();
    expect(lenet5({ variant, features: reversed }).outputShapes).toEqual(reversed.map((n) => f.stages[n as keyof typeof f.stages]));
    expect(() => lenet5({ variant, features: ['nope'] })).toThrow(`unknown feature stage "nope"; expected one of: ${names.join(', ')}`);
  });

  it('builds at its card minInputSize and refuses one pixel less, naming the layer', () => {
    const min = lenetCards.lenet5[variant].minInputSize;
    expect(lenet5({ variant, inputShape: [min, min, 1] }).outputShapes).toEqual([[10]]);
    expect(() => lenet5({ variant, inputShape: [min - 1, min - 1, 1] })).toThrow(ShapeError);
  });

  it('dropout is added before the output layer only when asked', () => {
    expect(lenet5({ variant }).nodes.some((n) => n.op === 'Dropout')).toBe(false);
    const d = lenet5({ variant, dropout: 0.25 }).nodes.find((n) => n.op === 'Dropout')!;
    expect(d.name).toBe('dropout');
    expect(d.attrs).toEqual({ rate: 0.25 });
  });
});

describe('lenet5 at other input sizes', () => {
  it('paper at 40x40: C5 is 3x3x120 and F6 follows the flattened 1,080 values (as Keras include_top)', () => {
    const m = lenet5({ inputShape: [40, 40, 1] });
    expect(m.shapeOf('c5')).toEqual([3, 3, 120]);
    expect(m.weight('f6', 'kernel').shape).toEqual([1080, 84]);
    expect(m.outputShapes).toEqual([[10]]);
  });

  it('modern and article at 28x28 (MNIST unpadded), RGB input widens C1', () => {
    expect(lenet5({ variant: 'modern', inputShape: [28, 28, 1] }).weight('fc1', 'kernel').shape).toEqual([4 * 4 * 16, 120]);
    expect(lenet5({ variant: 'article', inputShape: [28, 28, 1] }).weight('dense1', 'kernel').shape).toEqual([7 * 7 * 50, 500]);
    const rgb = lenet5({ inputShape: [32, 32, 3] }).summary();
    expect(rgb.layers.find((l) => l.name === 'c1')!.params.trainable).toBe(5 * 5 * 3 * 6 + 6);
  });

  it('a map that would vanish is a ShapeError naming the layer (paper at 31x31: C5 does not fit 4x4)', () => {
    expect(() => lenet5({ inputShape: [31, 31, 1] })).toThrow(
      'node "c5": (Conv2D) kernel 5x5 does not fit input 4x4x16 with padding \'valid\'; the input is too small for this layer',
    );
    expect(() => lenet5({ variant: 'modern', inputShape: [8, 8, 1] })).toThrow(/^node "conv2": .*too small/);
  });
});

describe('lenet5 options are checked', () => {
  it('unknown variant and bad numbers are ConvzooErrors saying what was expected', () => {
    expect(() => lenet5({ variant: 'v2' as never })).toThrow('unknown variant "v2" for lenet5; expected one of: paper, modern, article');
    expect(() => lenet5({ numClasses: 0 })).toThrow(ConvzooError);
    expect(() => lenet5({ inputShape: [32, 32] as never })).toThrow('lenet5: inputShape must be [H, W, C]');
    expect(() => create('lenet5', { variant: 'nope' })).toThrow(/expected one of: paper, modern, article/);
  });

  it('is registered, with every variant, and create() builds the same graph', () => {
    const entry = create('lenet5', { variant: 'article' });
    expect(entry.graph).toEqual(lenet5({ variant: 'article' }).graph);
  });
});
