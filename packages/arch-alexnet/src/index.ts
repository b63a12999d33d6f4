/**
 * @convzoo/arch-alexnet: AlexNet. Importing the package registers `alexnet` in the core
 * registry (`create('alexnet', { variant: 'torchvision' })`).
 */
import { register, resolveVariant, type Model } from '@convzoo/core';
import { alexnetCards } from './cards.js';
import { ALEXNET_VARIANTS, buildAlexNet, type AlexNetOptions, type AlexNetVariant } from './alexnet.js';

export { alexnetCards, ALEXNET_PAPER } from './cards.js';
export { ALEXNET_VARIANTS, PAPER_LRN, type AlexNetOptions, type AlexNetVariant } from './alexnet.js';

/** AlexNet; `variant` 'paper' (default, 227x227) or 'torchvision' (224x224). */
export const alexnet = (options?: AlexNetOptions): Model => buildAlexNet(options);

register({
  name: 'alexnet',
  family: 'alexnet',
  variants: ALEXNET_VARIANTS,
  card: (variant) => alexnetCards.alexnet[resolveVariant('alexnet', ALEXNET_VARIANTS, variant) as AlexNetVariant],
  create: (options?: AlexNetOptions) => buildAlexNet(options),
});
