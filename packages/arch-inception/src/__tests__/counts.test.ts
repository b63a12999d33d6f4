import { describe, expect, it } from 'vitest';
import { create, list } from '@convzoo/core';
import { googlenet, googlenetCards, type GoogLeNetOptions } from '../index.js';

// shared/reference/architectures.md, at 224x224x3 and 1000 classes.
const REFERENCE = [
  { variant: 'paper', aux: true, trainable: 13_378_280, nonTrainable: 0, macs: 1_582_671_872 },
  { variant: 'paper', aux: false, trainable: 6_998_552, nonTrainable: 0, macs: 1_582_671_872 },
  { variant: 'torchvision', aux: true, trainable: 13_004_888, nonTrainable: 15_072, macs: 1_498_376_192 },
  { variant: 'torchvision', aux: false, trainable: 6_624_904, nonTrainable: 14_560, macs: 1_498_376_192 },
] as const;

describe.each(REFERENCE)('googlenet $variant, auxClassifiers $aux', (ref) => {
  const model = googlenet({ variant: ref.variant, auxClassifiers: ref.aux });
  const s = model.summary();

  it('has the reference params and MACs', () => {
    expect(s.params.trainable).toBe(ref.trainable);
    expect(s.params.nonTrainable).toBe(ref.nonTrainable);
    expect(s.macs).toBe(ref.macs);
  });

  it('keeps the auxiliary heads out of inference', () => {
    expect(model.graph.outputs).toEqual(['fc']);
    expect(model.outputShapes).toEqual([[1000]]);
    const trainingOnly = s.layers.filter((l) => l.trainingOnly);
    if (ref.aux) {
      expect(model.graph.trainingOutputs).toEqual(['aux1_fc2', 'aux2_fc2']);
      expect(model.shapeOf('aux1_fc2')).toEqual([1000]);
      expect(trainingOnly.map((l) => l.name).filter((n) => !n.startsWith('aux'))).toEqual([]);
      expect(trainingOnly.reduce((n, l) => n + l.params.trainable, 0)).toBe(ref.variant === 'paper' ? 6_379_728 : 6_379_984);
      // Run at inference, the heads would add 2 x (4*4*C*128 + 2048*1024 + 1024*1000) MACs; they count none.
      expect(trainingOnly.every((l) => l.macs === 0)).toBe(true);
      expect(model.isInferenceNode('aux1_fc1')).toBe(false);
    } else {
      expect(model.graph.trainingOutputs).toBeUndefined();
      expect(trainingOnly).toEqual([]);
      expect(model.nodes.some((n) => n.name.startsWith('aux'))).toBe(false);
    }
  });

  it('matches its card when built with the defaults', () => {
    const card = googlenetCards[ref.variant];
    expect(card).toMatchObject({ name: 'googlenet', family: 'inception', variant: ref.variant, inputShape: [224, 224, 3], minInputSize: 79, numClasses: 1000 });
    expect(card.macs).toBe(ref.macs);
    if (ref.aux) expect(card.params).toEqual({ trainable: ref.trainable, nonTrainable: ref.nonTrainable });
    else expect(card.notes.join(' ')).toContain(ref.trainable.toLocaleString('en-US'));
    expect(card.paper.url).toBe('https://arxiv.org/abs/1409.4842');
  });
});

describe('cards', () => {
  it('say where the article code differs and which LRN constants the paper variant uses', () => {
    for (const card of Object.values(googlenetCards)) {
      expect(card.notes.join(' ')).toContain('pool projection before the 3x3 max pool');
      expect(card.notes.join(' ')).toContain('auxiliary classifiers as outputs of the inference model');
    }
    expect(googlenetCards.paper.notes.join(' ')).toContain('size 5, alpha 1e-4 in the divided convention');
  });
});

describe('registry', () => {
  it('registers googlenet with paper as the default variant', () => {
    const entry = list().find((e) => e.name === 'googlenet')!;
    expect(entry.family).toBe('inception');
    expect(entry.variants).toEqual(['paper', 'torchvision']);
    expect(entry.card()).toBe(googlenetCards.paper);
    expect(entry.card('torchvision')).toBe(googlenetCards.torchvision);
    expect(() => entry.card('v3')).toThrow('unknown variant "v3" for googlenet; expected one of: paper, torchvision');
  });

  it('passes the options through, auxClassifiers included', () => {
    const options: GoogLeNetOptions = { variant: 'torchvision', numClasses: 10, auxClassifiers: false };
    const m = create('googlenet', options);
    expect(m.outputShapes).toEqual([[10]]);
    expect(m.summary().params.trainable).toBe(6_624_904 - 990 * 1025);
  });
});
