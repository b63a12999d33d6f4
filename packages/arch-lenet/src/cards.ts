/**
 * Model cards: the published counts at 32x32x1 with 10 classes (the tests check every built
 * graph against them), the paper, and where each variant and the article's code depart from it.
 */
import { MNIST, type CardFacts, type PaperRef } from '@convzoo/core';
import { DEFAULT_CLASSES, DEFAULT_INPUT_SHAPE, type LeNetVariant } from './lenet.js';

export const LENET_PAPER: PaperRef = {
  title: 'Gradient-Based Learning Applied to Document Recognition',
  authors: 'Yann LeCun, Léon Bottou, Yoshua Bengio, Patrick Haffner',
  year: 1998,
  url: 'https://doi.org/10.1109/5.726791',
};

interface VariantFacts {
  readonly description: string;
  readonly trainable: number;
  readonly macs: number;
  /** Smallest square input for which no map vanishes. */
  readonly minInputSize: number;
  readonly notes: readonly string[];
}

const FACTS: Record<LeNetVariant, VariantFacts> = {
  paper: {
    description: 'LeNet-5 as published: C1 6@5x5, trainable subsampling S2/S4, C3 with the Table I connection map, C5 120, F6 84, scaled tanh.',
    trainable: 60_850,
    macs: 326_520,
    minInputSize: 32,
    notes: [
      'Per layer: C1 156, S2 12, C3 1,516 (60 of the 96 map connections x 25 + 16 biases; 2,416 if fully connected), S4 32, C5 48,120, F6 10,164, output 850.',
      'S2/S4 are trainable subsampling: (sum of each 2x2 window) x a coefficient + a bias per map, then the squashing function f(a) = 1.7159 tanh(2a/3).',
      "The output is a trainable dense layer (850 params) giving logits; the paper's Euclidean RBF output has 840 fixed parameters (60,000 trainable + 840 fixed).",
      'MACs count convolutions and dense layers only; subsampling is counted like pooling (none).',
    ],
  },
  modern: {
    description: 'The common modern LeNet-5 (PyTorch tutorial): conv 6@5x5, max pool, conv 16@5x5, max pool, dense 120-84-10, ReLU.',
    trainable: 61_706,
    macs: 416_520,
    minInputSize: 16,
    notes: [
      'Plain pooling instead of trainable subsampling and full C3 connectivity (2,416 params): 856 more parameters than the paper.',
      "C5 is a dense layer on the flattened 5x5x16 map (the paper's 5x5 convolution on a 5x5 map is the same product).",
    ],
  },
  article: {
    description: "LeNet-5 as the article's Keras code builds it (the Caffe-style LeNet): conv 20@5x5 'same', max pool, conv 50@5x5 'same', max pool, dense 500, ReLU.",
    trainable: 1_631_080,
    macs: 8_517_000,
    minInputSize: 4,
    notes: [
      "The article's code ends in a softmax; here the default output is logits (classifierActivation: 'softmax' gives the article's output).",
    ],
  },
};

const ARTICLE_NOTES = [
  "The article's code is not the network its text describes: it uses 20/50 filters with 'same' padding, ReLU, max pooling and a 500-unit dense layer (variant `article`).",
  "The article's text gives C5 as 5*5*120 = 3,000 params (it is 5*5*16*120 + 120 = 48,120), C3 as 416 (it is 1,516 with Table I) and the output layer as 924 (it is 84*10 + 10 = 850), and its 'sigmoid' after the subsampling layers is the paper's squashing function 1.7159 tanh(2a/3).",
];

/** The card of `lenet5` in one variant (`defineFamily` adds name, family and variant). */
export function lenetCard(variant: LeNetVariant): CardFacts {
  const f = FACTS[variant];
  return {
    description: f.description,
    inputShape: DEFAULT_INPUT_SHAPE,
    minInputSize: f.minInputSize,
    numClasses: DEFAULT_CLASSES,
    params: { trainable: f.trainable, nonTrainable: 0 },
    macs: f.macs,
    paper: LENET_PAPER,
    notes: [...f.notes, ...ARTICLE_NOTES],
    preprocessing: MNIST,
  };
}
