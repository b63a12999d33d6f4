/**
 * @convzoo/arch-alexnet: AlexNet. Importing the package registers `alexnet` in the core
 * registry (`create('alexnet', { variant: 'torchvision' })`).
 */
import { defineFamily } from '@convzoo/core';
import { alexnetCard } from './cards.js';
import { ALEXNET_VARIANTS, alexnetTorchvisionNames, buildAlexNet, type AlexNetOptions } from './alexnet.js';

export { ALEXNET_PAPER } from './cards.js';
export { ALEXNET_VARIANTS, PAPER_LRN, alexnetTorchvisionNames, type AlexNetOptions, type AlexNetVariant } from './alexnet.js';

const alexnetFamily = defineFamily({
  family: 'alexnet',
  variants: ALEXNET_VARIANTS,
  entries: [{ name: 'alexnet' }],
  build: (_entry, options?: AlexNetOptions) => buildAlexNet(options),
  card: (_entry, variant) => alexnetCard(variant),
  torchvision: alexnetTorchvisionNames,
});

/** AlexNet; `variant` 'paper' (default, 227x227) or 'torchvision' (224x224). */
export const { alexnet } = alexnetFamily.builders;

/** Every card, by builder name and variant: `alexnetCards.alexnet.paper`. */
export const alexnetCards = alexnetFamily.cards;
