/**
 * @convzoo/arch-lenet: LeNet-5. Importing the package registers `lenet5` in the core registry
 * (`create('lenet5', { variant: 'modern' })`).
 */
import { register, resolveVariant, type Model } from '@convzoo/core';
import { lenetCards } from './cards.js';
import { LENET_VARIANTS, buildLeNet5, type LeNetOptions, type LeNetVariant } from './lenet.js';

export { lenetCards, LENET_PAPER } from './cards.js';
export { C3_CONNECTIONS, LENET_VARIANTS, type LeNetOptions, type LeNetVariant } from './lenet.js';

/** LeNet-5; `variant` 'paper' (default), 'modern' or 'article'. */
export const lenet5 = (options?: LeNetOptions): Model => buildLeNet5(options);

register({
  name: 'lenet5',
  family: 'lenet',
  variants: LENET_VARIANTS,
  card: (variant) => lenetCards.lenet5[resolveVariant('lenet5', LENET_VARIANTS, variant) as LeNetVariant],
  create: (options?: LeNetOptions) => buildLeNet5(options),
});
