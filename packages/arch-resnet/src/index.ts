/**
 * @convzoo/arch-resnet: ResNet-18/34/50/101/152. Importing the package registers every builder
 * in the core registry (`create('resnet50', { variant: 'torchvision' })`).
 */
import { register, resolveVariant, type Model } from '@convzoo/core';
import { resnetCards } from './cards.js';
import { RESNET_DEPTH_LIST, RESNET_VARIANTS, buildResNet, type ResNetOptions, type ResNetVariant } from './resnet.js';

export { resnetCards, RESNET_PAPER } from './cards.js';
export {
  buildResNet, RESNET_DEPTHS, RESNET_DEPTH_LIST, RESNET_VARIANTS,
  type BlockKind, type ResNetDepth, type ResNetName, type ResNetOptions, type ResNetVariant,
} from './resnet.js';

export const resnet18 = (options?: ResNetOptions): Model => buildResNet(18, options);
export const resnet34 = (options?: ResNetOptions): Model => buildResNet(34, options);
export const resnet50 = (options?: ResNetOptions): Model => buildResNet(50, options);
export const resnet101 = (options?: ResNetOptions): Model => buildResNet(101, options);
export const resnet152 = (options?: ResNetOptions): Model => buildResNet(152, options);

for (const depth of RESNET_DEPTH_LIST) {
  const name = `resnet${depth}` as const;
  register({
    name,
    family: 'resnet',
    variants: RESNET_VARIANTS,
    card: (variant) => resnetCards[name][resolveVariant(name, RESNET_VARIANTS, variant) as ResNetVariant],
    create: (options?: ResNetOptions) => buildResNet(depth, options),
  });
}
