/**
 * @convzoo/arch-resnet: ResNet-18/34/50/101/152. Importing the package registers every builder
 * in the core registry (`create('resnet50', { variant: 'torchvision' })`).
 */
import { defineFamily } from '@convzoo/core';
import { resnetCard } from './cards.js';
import { RESNET_DEPTH_LIST, RESNET_VARIANTS, buildResNet, resnetKerasNames, resnetTorchvisionNames, type ResNetOptions } from './resnet.js';

export { RESNET_PAPER } from './cards.js';
export {
  buildResNet, resnetKerasNames, resnetTorchvisionNames, RESNET_DEPTHS, RESNET_DEPTH_LIST, RESNET_VARIANTS,
  type BlockKind, type ResNetDepth, type ResNetName, type ResNetOptions, type ResNetVariant,
} from './resnet.js';

const resnet = defineFamily({
  family: 'resnet',
  variants: RESNET_VARIANTS,
  entries: RESNET_DEPTH_LIST.map((depth) => ({ name: `resnet${depth}` as const, depth })),
  build: (entry, options?: ResNetOptions) => buildResNet(entry.depth, options),
  card: (entry, variant) => resnetCard(entry.depth, variant),
  torchvision: resnetTorchvisionNames,
  keras: resnetKerasNames,
});

/** `resnet50(options?: ResNetOptions): Model`, the model `create('resnet50', options)` builds. */
export const { resnet18, resnet34, resnet50, resnet101, resnet152 } = resnet.builders;

/** Every card, by builder name and variant: `resnetCards.resnet50.torchvision`. */
export const resnetCards = resnet.cards;
