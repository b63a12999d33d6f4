/**
 * @convzoo/arch-inception: GoogLeNet / Inception v1. Importing the package registers
 * `googlenet` in the core registry (`create('googlenet', { variant: 'torchvision' })`).
 */
import { defineFamily, type ModelFlag } from '@convzoo/core';
import { GOOGLENET_CARDS } from './cards.js';
import { GOOGLENET_VARIANTS, buildGoogLeNet, googlenetTorchvisionNames, type GoogLeNetOptions } from './googlenet.js';

export { GOOGLENET_PAPER } from './cards.js';
export {
  AUX_MIN_INPUT_SIZE, GOOGLENET_CONFIGS, googlenetTorchvisionNames, withTransformInput, TRANSFORM_INPUT, GOOGLENET_LRN, GOOGLENET_VARIANTS, INCEPTION_STAGES,
  type GoogLeNetConfig, type GoogLeNetOptions, type GoogLeNetVariant, type InceptionWidths,
} from './googlenet.js';

const NO_AUX: ModelFlag<GoogLeNetOptions> = {
  flag: 'no-aux', option: 'auxClassifiers', value: false, description: 'GoogLeNet without its auxiliary classifiers',
};

const inception = defineFamily({
  family: 'inception',
  variants: GOOGLENET_VARIANTS,
  entries: [{ name: 'googlenet' }],
  build: (_entry, options?: GoogLeNetOptions) => buildGoogLeNet(options),
  card: (_entry, variant) => GOOGLENET_CARDS[variant],
  flags: [NO_AUX],
  torchvision: googlenetTorchvisionNames,
});

/** GoogLeNet; `variant` 'paper' (default) or 'torchvision', `auxClassifiers` (default true). */
export const { googlenet } = inception.builders;

/** The model cards: `googlenetCards.paper`, `googlenetCards.torchvision`. */
export const googlenetCards = inception.cards.googlenet;
