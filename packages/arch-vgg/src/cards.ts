/**
 * Model cards: the published counts at 224x224x3 with 1000 classes (the tests check every
 * built graph against them), the paper, and where the article's code departs from it.
 */
import { TORCHVISION_IMAGENET, type CardFacts, type PaperRef } from '@convzoo/core';
import { DEFAULT_INPUT_SHAPE, VGG_CONFIGS, type VggDepth } from './vgg.js';

export const VGG_PAPER: PaperRef = {
  title: 'Very Deep Convolutional Networks for Large-Scale Image Recognition',
  authors: 'Karen Simonyan, Andrew Zisserman',
  year: 2014,
  url: 'https://arxiv.org/abs/1409.1556',
};

/** Trainable params without and with BatchNorm, BatchNorm statistics, MACs (BatchNorm adds none). */
const COUNTS: Record<VggDepth, { trainable: number; trainableBn: number; nonTrainableBn: number; macs: number }> = {
  11: { trainable: 132_863_336, trainableBn: 132_868_840, nonTrainableBn: 5_504, macs: 7_609_090_048 },
  13: { trainable: 133_047_848, trainableBn: 133_053_736, nonTrainableBn: 5_888, macs: 11_308_466_176 },
  16: { trainable: 138_357_544, trainableBn: 138_365_992, nonTrainableBn: 8_448, macs: 15_470_264_320 },
  19: { trainable: 143_667_240, trainableBn: 143_678_248, nonTrainableBn: 11_008, macs: 19_632_062_464 },
};

/** Every VGG runs 3x3 convs and 2x2 pools, so five halvings need at least 32x32. */
const MIN_INPUT_SIZE = 32;

const COMMON_NOTES = [
  'Head as the paper and torchvision: flatten 7x7x512 (25,088) -> fc6 4096 -> fc7 4096 -> classes, ReLU and dropout 0.5 after fc6 and fc7.',
  "torchvision's AdaptiveAvgPool2d((7, 7)) is the identity at 224x224 and is left out: at other input sizes fc6's fan-in follows the pool5 map (1x1x512 at the minimum 32x32), as Keras include_top does.",
];

const BN_NOTE =
  'BatchNorm (not in the paper; torchvision\'s vgg*_bn) after every convolution, before its ReLU: eps 1e-5 as torchvision, conv biases kept, ' +
  'so trainable params grow by gamma and beta only and moving mean/variance are the non-trainable params.';

const ARTICLE_NOTE =
  "The article's code ends its convolutions with GlobalAvgPool2D instead of Flatten, so fc6 has 512x4096 weights and its VGG-16 has 37,694,248 params, not 138M; " +
  'its last Dense ignores n_classes (always 1000), it has no dropout and defaults to a 227x227 input. ' +
  'Its text counts the third FC layer as 4096 * 1000 + 4096 where the bias adds 1,000 (4,097,000), so the FC total is 123,642,856, not 123,645,952.';

/** torchvision's module names for feature extraction where convzoo's differ. */
const LAYER_ALIASES = { features: 'pool5', avgpool: 'pool5', classifier: 'fc8' } as const;

/** The card of `vgg<depth>` (`_bn` with BatchNorm); `defineFamily` adds name, family and variant. */
export function vggCard(depth: VggDepth, batchNorm: boolean): CardFacts {
  const { config, convs } = VGG_CONFIGS[depth];
  const c = COUNTS[depth];
  return {
    description: `VGG-${depth}, configuration ${config} (${convs.join('-')} 3x3 convolutions per stage)${batchNorm ? ' with BatchNorm' : ''}.`,
    inputShape: DEFAULT_INPUT_SHAPE,
    minInputSize: MIN_INPUT_SIZE,
    numClasses: 1000,
    params: batchNorm ? { trainable: c.trainableBn, nonTrainable: c.nonTrainableBn } : { trainable: c.trainable, nonTrainable: 0 },
    macs: c.macs,
    paper: VGG_PAPER,
    notes: [...COMMON_NOTES, ...(batchNorm ? [BN_NOTE] : []), ARTICLE_NOTE],
    preprocessing: TORCHVISION_IMAGENET,
    layerAliases: LAYER_ALIASES,
  };
}
