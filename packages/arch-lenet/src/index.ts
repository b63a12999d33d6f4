/**
 * @convzoo/arch-lenet: LeNet-5. Importing the package registers `lenet5` in the core registry
 * (`create('lenet5', { variant: 'modern' })`).
 */
import { defineFamily } from '@convzoo/core';
import { lenetCard } from './cards.js';
import { LENET_VARIANTS, buildLeNet5, type LeNetOptions } from './lenet.js';

export { LENET_PAPER } from './cards.js';
export { C3_CONNECTIONS, LENET_VARIANTS, type LeNetOptions, type LeNetVariant } from './lenet.js';

const lenet = defineFamily({
  family: 'lenet',
  variants: LENET_VARIANTS,
  entries: [{ name: 'lenet5' }],
  build: (_entry, options?: LeNetOptions) => buildLeNet5(options),
  card: (_entry, variant) => lenetCard(variant),
});

/** LeNet-5; `variant` 'paper' (default), 'modern' or 'article'. */
export const { lenet5 } = lenet.builders;

/** Every card, by builder name and variant: `lenetCards.lenet5.paper`. */
export const lenetCards = lenet.cards;
