/**
 * Model cards: the published counts at 224x224x3 with 1000 classes (the tests check every
 * built graph against them), the paper, and where each variant departs from it.
 */
import { KERAS_CAFFE, TORCHVISION_IMAGENET, type CardFacts, type PaperRef } from '@convzoo/core';
import { DEFAULT_INPUT_SHAPE, RESNET_DEPTHS, type ResNetDepth, type ResNetVariant } from './resnet.js';

export const RESNET_PAPER: PaperRef = {
  title: 'Deep Residual Learning for Image Recognition',
  authors: 'Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun',
  year: 2015,
  url: 'https://arxiv.org/abs/1512.03385',
};

/**
 * Trainable (without conv biases) and non-trainable (BatchNorm statistics) params, the conv
 * biases the `keras` variant adds, and inference MACs (`keras` strides as `paper`; biases are no MACs).
 */
const COUNTS: Record<ResNetDepth, { trainable: number; nonTrainable: number; convBiases: number; macs: Record<Exclude<ResNetVariant, 'keras'>, number> }> = {
  18: { trainable: 11_689_512, nonTrainable: 9_600, convBiases: 4_800, macs: { paper: 1_814_073_344, torchvision: 1_814_073_344 } },
  34: { trainable: 21_797_672, nonTrainable: 17_024, convBiases: 8_512, macs: { paper: 3_663_761_408, torchvision: 3_663_761_408 } },
  50: { trainable: 25_557_032, nonTrainable: 53_120, convBiases: 26_560, macs: { paper: 3_857_973_248, torchvision: 4_089_184_256 } },
  101: { trainable: 44_549_160, nonTrainable: 105_344, convBiases: 52_672, macs: { paper: 7_570_194_432, torchvision: 7_801_405_440 } },
  152: { trainable: 60_192_808, nonTrainable: 151_424, convBiases: 75_712, macs: { paper: 11_282_415_616, torchvision: 11_513_626_624 } },
};

const COMMON_NOTES = [
  'Convolutions without bias, each followed by BatchNorm (eps 1e-5, as torchvision), except in the keras variant (conv biases, eps 1.001e-5; ResNet-50: 25,583,592 trainable).',
  "Shortcuts are the paper's option B: identity, or a 1x1 projection + BatchNorm where the shape changes.",
  'Stem: 7x7/2 conv pad 3, BatchNorm, ReLU, 3x3/2 max pool pad 1 (explicit pads, so PyTorch weights map exactly).',
  'Any input of at least 1x1 builds (every layer pads enough to keep a 1x1 map); below 32x32 layer4 is already 1x1.',
];

const ARTICLE_NOTE =
  "The article's code leaves out the ReLU after the residual add in its bottleneck block (the paper has it; so does this builder), " +
  'uses v1 strides, and gives its convolutions biases.';

const KERAS_NOTE =
  "keras.applications.resnet's v1: stride on the first 1x1, conv biases, BatchNorm eps 1.001e-5, ZeroPadding2D + valid 7x7/2 conv and 3x3/2 max pool; " +
  'Keras\'s layer names map onto it (Keras ResNet50/101/152 .h5 files load with @convzoo/weights), with Keras\'s caffe preprocessing.';

function variantNotes(depth: ResNetDepth, variant: ResNetVariant): string[] {
  if (variant === 'keras') {
    return RESNET_DEPTHS[depth].block === 'basic'
      ? [`${KERAS_NOTE} Keras has no ResNet-${depth}: this is the same network with Keras's biases and eps.`]
      : [KERAS_NOTE];
  }
  if (RESNET_DEPTHS[depth].block === 'basic') {
    return ['Basic blocks (two 3x3 convolutions) have no 1x1 to move the stride onto: the paper and torchvision variants are the same network.'];
  }
  return variant === 'paper'
    ? ['v1, as the paper, Caffe and Keras: a downsampling bottleneck strides its first 1x1 convolution.']
    : ['v1.5, as torchvision: a downsampling bottleneck strides its 3x3 convolution (about 0.5% better top-1, 6% more MACs than v1).'];
}

/** The card of `resnet<depth>` in one variant (`defineFamily` adds name, family and variant). */
export function resnetCard(depth: ResNetDepth, variant: ResNetVariant): CardFacts {
  const { block, layers } = RESNET_DEPTHS[depth];
  const c = COUNTS[depth];
  return {
    description: `ResNet-${depth}: ${block} blocks [${layers.join(', ')}]${block === 'bottleneck' ? ` (${variant === 'torchvision' ? 'v1.5' : 'v1'})` : ''}${variant === 'keras' ? ', as Keras Applications' : ''}.`,
    inputShape: DEFAULT_INPUT_SHAPE,
    minInputSize: 1,
    numClasses: 1000,
    params: { trainable: c.trainable + (variant === 'keras' ? c.convBiases : 0), nonTrainable: c.nonTrainable },
    macs: c.macs[variant === 'keras' ? 'paper' : variant],
    paper: RESNET_PAPER,
    notes: [...variantNotes(depth, variant), ...COMMON_NOTES, ARTICLE_NOTE],
    // Node names follow torchvision's modules already (`layer4.1` resolves to `layer4_1_relu`).
    preprocessing: variant === 'keras' ? KERAS_CAFFE : TORCHVISION_IMAGENET,
  };
}
