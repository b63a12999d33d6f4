/**
 * @convzoo/arch-vgg: VGG-11/13/16/19, with and without BatchNorm. Importing the package
 * registers every builder in the core registry (`create('vgg16_bn', { numClasses: 10 })`).
 */
import { defineFamily } from '@convzoo/core';
import { vggCard } from './cards.js';
import { VGG_DEPTHS, VGG_VARIANTS, buildVgg, vggKerasNames, vggName, vggTorchvisionNames, type VggOptions } from './vgg.js';

export { VGG_PAPER } from './cards.js';
export {
  buildVgg, vggKerasNames, vggTorchvisionNames, VGG_CONFIGS, VGG_DEPTHS, VGG_NAMES, VGG_VARIANTS,
  type VggDepth, type VggName, type VggOptions, type VggVariant,
} from './vgg.js';

const vgg = defineFamily({
  family: 'vgg',
  variants: VGG_VARIANTS,
  entries: VGG_DEPTHS.flatMap((depth) => [false, true].map((batchNorm) => ({ name: vggName(depth, batchNorm), depth, batchNorm }))),
  build: (entry, options?: VggOptions) => buildVgg(entry.depth, entry.batchNorm, options),
  card: (entry) => vggCard(entry.depth, entry.batchNorm),
  torchvision: vggTorchvisionNames,
  keras: vggKerasNames,
});

/** `vgg16_bn(options?: VggOptions): Model`, the model `create('vgg16_bn', options)` builds. */
export const { vgg11, vgg13, vgg16, vgg19, vgg11_bn, vgg13_bn, vgg16_bn, vgg19_bn } = vgg.builders;

/** Every card, by builder name and variant: `vggCards.vgg16_bn.paper`. */
export const vggCards = vgg.cards;
