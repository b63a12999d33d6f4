/**
 * @convzoo/arch-vgg: VGG-11/13/16/19, with and without BatchNorm. Importing the package
 * registers every builder in the core registry (`create('vgg16_bn', { numClasses: 10 })`).
 */
import { register, resolveVariant, type Model } from '@convzoo/core';
import { vggCards } from './cards.js';
import { VGG_DEPTHS, VGG_VARIANTS, buildVgg, vggName, type VggOptions, type VggVariant } from './vgg.js';

export { vggCards, VGG_PAPER } from './cards.js';
export {
  buildVgg, VGG_CONFIGS, VGG_DEPTHS, VGG_NAMES, VGG_VARIANTS,
  type VggDepth, type VggName, type VggOptions, type VggVariant,
} from './vgg.js';

export const vgg11 = (options?: VggOptions): Model => buildVgg(11, false, options);
export const vgg13 = (options?: VggOptions): Model => buildVgg(13, false, options);
export const vgg16 = (options?: VggOptions): Model => buildVgg(16, false, options);
export const vgg19 = (options?: VggOptions): Model => buildVgg(19, false, options);
export const vgg11_bn = (options?: VggOptions): Model => buildVgg(11, true, options);
export const vgg13_bn = (options?: VggOptions): Model => buildVgg(13, true, options);
export const vgg16_bn = (options?: VggOptions): Model => buildVgg(16, true, options);
export const vgg19_bn = (options?: VggOptions): Model => buildVgg(19, true, options);

for (const depth of VGG_DEPTHS) {
  for (const batchNorm of [false, true]) {
    const name = vggName(depth, batchNorm);
    register({
      name,
      family: 'vgg',
      variants: VGG_VARIANTS,
      card: (variant) => vggCards[name][resolveVariant(name, VGG_VARIANTS, variant) as VggVariant],
      create: (options?: VggOptions) => buildVgg(depth, batchNorm, options),
    });
  }
}
