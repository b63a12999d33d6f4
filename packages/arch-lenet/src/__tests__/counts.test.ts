import { describe, expect, it } from 'vitest';
import { registry } from '@convzoo/core';
import { lenet5, lenetCards, LENET_VARIANTS } from '../index.js';

// shared/reference/architectures.md, 32x32x1, 10 classes.
const REFERENCE = {
  paper: { trainable: 60_850, nonTrainable: 0, macs: 326_520 },
  modern: { trainable: 61_706, nonTrainable: 0, macs: 416_520 },
  article: { trainable: 1_631_080, nonTrainable: 0, macs: 8_517_000 },
} as const;

describe('lenet5 counts match the reference', () => {
  it.each(LENET_VARIANTS)('%s: params, MACs and its card', (variant) => {
    const s = lenet5({ variant }).summary();
    const ref = REFERENCE[variant];
    expect({ trainable: s.params.trainable, nonTrainable: s.params.nonTrainable, macs: s.macs }).toEqual(ref);
    const card = lenetCards.lenet5[variant];
    expect({ ...card.params, macs: card.macs }).toEqual(ref);
    expect(card.inputShape).toEqual([32, 32, 1]);
    expect(card.numClasses).toBe(10);
    expect(registry.get('lenet5').card(variant)).toBe(card);
  });

  it('the registry entry lists the variants, paper first, and refuses an unknown one', () => {
    const entry = registry.get('lenet5');
    expect(entry.variants).toEqual(['paper', 'modern', 'article']);
    expect(entry.card()).toBe(lenetCards.lenet5.paper);
    expect(() => entry.card('lenet1')).toThrow('unknown variant "lenet1" for lenet5; expected one of: paper, modern, article');
  });

  it('paper: per-layer params C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164, output 850', () => {
    const layers = lenet5().summary().layers.filter((l) => l.params.trainable > 0);
    expect(Object.fromEntries(layers.map((l) => [l.name, l.params.trainable]))).toEqual({
      c1: 156, s2: 12, c3: 1_516, s4: 32, c5: 48_120, f6: 10_164, output: 850,
    });
  });

  it('paper: C3 MACs are 60 connections x 25 x 10x10 outputs (the full map would be 240,000)', () => {
    expect(lenet5().summary().layers.find((l) => l.name === 'c3')!.macs).toBe(150_000);
  });
});
