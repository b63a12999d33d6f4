/**
 * Model cards: the published counts at each variant's default input with 1000 classes (the
 * tests check every built graph against them), the paper, and where each variant and the
 * article's code depart from it.
 */
import { TORCHVISION_IMAGENET, type CardFacts, type PaperRef } from '@convzoo/core';
import { ALEXNET_SPECS, type AlexNetVariant } from './alexnet.js';

export const ALEXNET_PAPER: PaperRef = {
  title: 'ImageNet Classification with Deep Convolutional Neural Networks',
  authors: 'Alex Krizhevsky, Ilya Sutskever, Geoffrey E. Hinton',
  year: 2012,
  url: 'https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks',
};

interface VariantFacts {
  readonly description: string;
  readonly trainable: number;
  readonly macs: number;
  /** Smallest square input for which no map vanishes (pool5 needs a 3x3 map). */
  readonly minInputSize: number;
  readonly notes: readonly string[];
}

const FACTS: Record<AlexNetVariant, VariantFacts> = {
  paper: {
    description: 'AlexNet as published: conv 96/256/384/384/256 with the two-GPU split as groups=2 on conv2/4/5, LRN, overlapping max pools, 227x227x3.',
    trainable: 60_965_224,
    macs: 724_406_816,
    minInputSize: 67,
    notes: [
      "The paper's two towers are one graph: conv2, conv4 and conv5 are grouped convolutions (groups=2, each half sees only its own GPU's maps); conv3 and the dense layers see both.",
      "LRN follows the ReLU of conv1 and conv2, before their 3x3/2 overlapping max pools. It is ONNX LRN(size=5, alpha=5e-4, beta=0.75, bias=2), which equals the paper's k=2, n=5, alpha=1e-4, beta=0.75: the paper does not divide alpha by n, ONNX, PyTorch and Caffe do. (Caffe's bvlc_alexnet and most ports use alpha=1e-4 in the divided convention, a 5x weaker normalization.)",
      'Input 227x227x3 (the paper says 224, but 227 is what gives its 55x55 conv1 maps). Spatial sizes 55, 27, 13, 13, 13, pool5 6x6x256 -> 9,216 -> 4,096 -> 4,096 -> classes.',
      'Dropout 0.5 after the ReLU of fc6 and fc7, as Caffe; identity at inference.',
    ],
  },
  torchvision: {
    description: 'Single-tower AlexNet as torchvision.models.alexnet: conv 64/192/384/256/256, no LRN, no groups, 224x224x3.',
    trainable: 61_100_840,
    macs: 714_188_480,
    minInputSize: 63,
    notes: [
      "torchvision's version follows Krizhevsky's 'One weird trick for parallelizing convolutional neural networks' (2014, arXiv:1404.5997): one tower, different widths, no LRN, conv1 padding 2.",
      "torchvision's AdaptiveAvgPool2d((6, 6)) is the identity at 224x224 and is left out: the classifier flattens pool5 (6x6x256 at 224), so at other input sizes fc6's fan-in follows the input, as Keras include_top does.",
      'Dropout 0.5 before fc6 and fc7, as torchvision; identity at inference.',
    ],
  },
};

const ARTICLE_NOTE =
  "The article's code has four convolutions (96, then 256, 384 and 256 with 'same' padding) where the paper has five (96, 256, 384, 384, 256), " +
  'and no LRN and no two-GPU grouping; its classifier (4096, 4096, dropout 0.5) matches the paper.';

/** torchvision's module names for feature extraction where convzoo's differ. */
const LAYER_ALIASES = { features: 'pool5', avgpool: 'pool5', classifier: 'fc8' } as const;

/** The card of `alexnet` in one variant (`defineFamily` adds name, family and variant). */
export function alexnetCard(variant: AlexNetVariant): CardFacts {
  const f = FACTS[variant];
  return {
    description: f.description,
    inputShape: ALEXNET_SPECS[variant].inputShape,
    minInputSize: f.minInputSize,
    numClasses: 1000,
    params: { trainable: f.trainable, nonTrainable: 0 },
    macs: f.macs,
    paper: ALEXNET_PAPER,
    notes: [...f.notes, ARTICLE_NOTE],
    // The paper variant's 227x227 input gets the same proportions (resize 259, crop 227).
    preprocessing: TORCHVISION_IMAGENET,
    layerAliases: LAYER_ALIASES,
  };
}
