/**
 * @convzoo/arch-inception: GoogLeNet / Inception v1. Importing the package registers
 * `googlenet` in the core registry (`create('googlenet', { variant: 'torchvision' })`).
 */
import { register, resolveVariant } from '@convzoo/core';
import { googlenetCards } from './cards.js';
import { GOOGLENET_VARIANTS, googlenet, type GoogLeNetVariant } from './googlenet.js';

export { googlenetCards, GOOGLENET_PAPER } from './cards.js';
export {
  googlenet, AUX_MIN_INPUT_SIZE, GOOGLENET_CONFIGS, GOOGLENET_LRN, GOOGLENET_VARIANTS, INCEPTION_STAGES,
  type GoogLeNetConfig, type GoogLeNetOptions, type GoogLeNetVariant, type InceptionWidths,
} from './googlenet.js';

register({
  name: 'googlenet',
  family: 'inception',
  variants: GOOGLENET_VARIANTS,
  card: (variant) => googlenetCards[resolveVariant('googlenet', GOOGLENET_VARIANTS, variant) as GoogLeNetVariant],
  create: googlenet,
});
