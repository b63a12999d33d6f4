import { describe, expect, it } from 'vitest';
import { create, registry } from '@convzoo/core';
import { vggCards, VGG_NAMES } from '../index.js';

// shared/reference/architectures.md, 224x224x3, 1000 classes.
const REFERENCE = {
  vgg11: { trainable: 132_863_336, nonTrainable: 0, macs: 7_609_090_048 },
  vgg13: { trainable: 133_047_848, nonTrainable: 0, macs: 11_308_466_176 },
  vgg16: { trainable: 138_357_544, nonTrainable: 0, macs: 15_470_264_320 },
  vgg19: { trainable: 143_667_240, nonTrainable: 0, macs: 19_632_062_464 },
  vgg11_bn: { trainable: 132_868_840, nonTrainable: 5_504, macs: 7_609_090_048 },
  vgg13_bn: { trainable: 133_053_736, nonTrainable: 5_888, macs: 11_308_466_176 },
  vgg16_bn: { trainable: 138_365_992, nonTrainable: 8_448, macs: 15_470_264_320 },
  vgg19_bn: { trainable: 143_678_248, nonTrainable: 11_008, macs: 19_632_062_464 },
} as const;

// Weight layers minus the three dense ones.
const CONVS = { vgg11: 8, vgg13: 10, vgg16: 13, vgg19: 16 } as const;

describe('vgg counts match the reference', () => {
  it('every builder is registered', () => {
    expect([...VGG_NAMES].sort()).toEqual(Object.keys(REFERENCE).sort());
    for (const name of VGG_NAMES) expect(registry.get(name).variants).toEqual(['paper']);
  });

  // One build per name (each is 130M+ parameters, about 2 s); everything about it is checked here.
  it.each(VGG_NAMES)('%s: params, MACs, its card, and its layers', { timeout: 60_000 }, (name) => {
    const model = create(name);
    const s = model.summary();
    const ref = REFERENCE[name];
    expect({ trainable: s.params.trainable, nonTrainable: s.params.nonTrainable, macs: s.macs }).toEqual(ref);
    const card = vggCards[name].paper;
    expect({ ...card.params, macs: card.macs }).toEqual(ref);
    expect(card.inputShape).toEqual([224, 224, 3]);
    expect(registry.get(name).card()).toBe(card);

    expect(model.shapeOf('pool5')).toEqual([7, 7, 512]);
    expect(model.weight('fc6', 'kernel').shape).toEqual([25_088, 4_096]);
    expect(model.shapeOf('fc8')).toEqual([1000]);
    const convs = model.nodes.filter((n) => n.op === 'Conv2D');
    const bns = model.nodes.filter((n) => n.op === 'BatchNorm');
    expect(convs).toHaveLength(CONVS[name.replace('_bn', '') as keyof typeof CONVS]);
    expect(convs.every((n) => model.weights.has(`${n.name}/bias`))).toBe(true);
    if (name.endsWith('_bn')) {
      expect(bns.map((n) => n.inputs[0])).toEqual(convs.map((n) => n.name));
      expect(bns.every((n) => n.op === 'BatchNorm' && n.attrs.epsilon === 1e-5)).toBe(true);
    } else {
      expect(bns).toEqual([]);
    }
  });
});
