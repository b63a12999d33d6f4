import { describe, expect, it } from 'vitest';
import { create, list } from '@convzoo/core';
import { resnet18, resnet34, resnet50, resnet101, resnet152, resnetCards, type ResNetVariant } from '../index.js';

// shared/reference/architectures.md, at 224x224x3 and 1000 classes. `keras`: Keras
// Applications' published totals (keras.io/api/applications: ResNet50 25,636,712, ResNet101
// 44,707,176, ResNet152 60,419,944 parameters); Keras has no ResNet-18/34 (there the count is
// torchvision's plus one bias per conv filter). Keras strides as v1, so its MACs are the paper's.
const REFERENCE = [
  { name: 'resnet18', build: resnet18, trainable: 11_689_512, nonTrainable: 9_600, kerasTotal: 11_703_912, macs: { paper: 1_814_073_344, torchvision: 1_814_073_344, keras: 1_814_073_344 } },
  { name: 'resnet34', build: resnet34, trainable: 21_797_672, nonTrainable: 17_024, kerasTotal: 21_823_208, macs: { paper: 3_663_761_408, torchvision: 3_663_761_408, keras: 3_663_761_408 } },
  { name: 'resnet50', build: resnet50, trainable: 25_557_032, nonTrainable: 53_120, kerasTotal: 25_636_712, macs: { paper: 3_857_973_248, torchvision: 4_089_184_256, keras: 3_857_973_248 } },
  { name: 'resnet101', build: resnet101, trainable: 44_549_160, nonTrainable: 105_344, kerasTotal: 44_707_176, macs: { paper: 7_570_194_432, torchvision: 7_801_405_440, keras: 7_570_194_432 } },
  { name: 'resnet152', build: resnet152, trainable: 60_192_808, nonTrainable: 151_424, kerasTotal: 60_419_944, macs: { paper: 11_282_415_616, torchvision: 11_513_626_624, keras: 11_282_415_616 } },
] as const;

describe.each(REFERENCE)('$name', (ref) => {
  it.each(['paper', 'torchvision', 'keras'] as const)('%s: params and MACs match the reference, and so does its card', (variant: ResNetVariant) => {
    const s = ref.build({ variant }).summary();
    const trainable = variant === 'keras' ? ref.kerasTotal - ref.nonTrainable : ref.trainable;
    expect(s.params.trainable).toBe(trainable);
    expect(s.params.nonTrainable).toBe(ref.nonTrainable);
    if (variant === 'keras') expect(s.params.trainable + s.params.nonTrainable).toBe(ref.kerasTotal);
    expect(s.macs).toBe(ref.macs[variant]);

    const card = resnetCards[ref.name][variant];
    expect(card.params).toEqual({ trainable, nonTrainable: ref.nonTrainable });
    expect(card.macs).toBe(ref.macs[variant]);
    expect(card).toMatchObject({ name: ref.name, family: 'resnet', variant, inputShape: [224, 224, 3], minInputSize: 1, numClasses: 1000 });
    expect(card.paper.url).toBe('https://arxiv.org/abs/1512.03385');
  });
});

describe('registry', () => {
  it('registers every depth with paper as the default variant', () => {
    const entries = list().filter((e) => e.family === 'resnet');
    expect(entries.map((e) => e.name)).toEqual(['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152']);
    for (const e of entries) expect(e.variants).toEqual(['paper', 'torchvision', 'keras']);
    expect(entries[2]!.card()).toBe(resnetCards.resnet50.paper);
    expect(entries[2]!.card('torchvision')).toBe(resnetCards.resnet50.torchvision);
    expect(() => entries[2]!.card('v2')).toThrow('unknown variant "v2" for resnet50; expected one of: paper, torchvision, keras');
  });

  it('creates through the registry with the options', () => {
    const m = create('resnet18', { variant: 'torchvision', numClasses: 10, inputShape: [64, 64, 3] });
    expect(m.name).toBe('resnet18');
    expect(m.outputShapes).toEqual([[10]]);
    expect(m.summary().params.trainable).toBe(11_689_512 - 990 * 513);
  });

  it('says which variant it got wrong', () => {
    expect(() => create('resnet34', { variant: 'v1.5' })).toThrow('unknown variant "v1.5" for resnet34; expected one of: paper, torchvision, keras');
  });
});

describe('article notes', () => {
  it('every card says where the article code differs', () => {
    for (const byVariant of Object.values(resnetCards)) {
      for (const card of Object.values(byVariant)) {
        expect(card.notes.some((n) => n.includes('ReLU after the residual add'))).toBe(true);
      }
    }
  });
});
