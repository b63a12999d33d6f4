/**
 * Model cards: the published counts at 224x224x3 with 1000 classes and the default options
 * (auxiliary classifiers on; the tests check every built graph against them), the paper, and
 * where each variant departs from it.
 */
import { TORCHVISION_IMAGENET, type CardFacts, type PaperRef } from '@convzoo/core';
import { AUX_MIN_INPUT_SIZE, DEFAULT_INPUT_SHAPE, GOOGLENET_CONFIGS, type GoogLeNetVariant } from './googlenet.js';

export const GOOGLENET_PAPER: PaperRef = {
  title: 'Going Deeper with Convolutions',
  authors: 'Christian Szegedy, Wei Liu, Yangqing Jia, Pierre Sermanet, Scott Reed, Dragomir Anguelov, Dumitru Erhan, Vincent Vanhoucke, Andrew Rabinovich',
  year: 2014,
  url: 'https://arxiv.org/abs/1409.4842',
};

const ARTICLE_NOTE =
  "Where the article's code differs: it applies the 1x1 pool projection before the 3x3 max pool (the paper pools first) and returns " +
  'the auxiliary classifiers as outputs of the inference model; it also gives 4d a 48-wide 5x5 branch (Table 1: 64, for 528 outputs), ' +
  'has no LRN, and adds a 3x3/2 max pool before its global average pool.';

const sizeNote = (variant: GoogLeNetVariant) =>
  `The 7x7 average pool follows the final map at other input sizes (as Keras does). Smallest input ${AUX_MIN_INPUT_SIZE}x${AUX_MIN_INPUT_SIZE} ` +
  `with the auxiliary classifiers (their 5x5/3 pool needs a 5x5 map at 4a), ${GOOGLENET_CONFIGS[variant].minInputSize}x${GOOGLENET_CONFIGS[variant].minInputSize} without.`;

/**
 * torchvision's module names for feature extraction: its `conv3` is convzoo's `conv2` (its
 * `conv2` the 1x1 reduce, convzoo's `conv2_reduce`; a node name wins, so use `conv2_reduce`),
 * `maxpoolN` are `poolN`, `inception4e` is `inception_4e_output`.
 */
const LAYER_ALIASES: Readonly<Record<string, string>> = {
  conv3: 'conv2_relu',
  ...Object.fromEntries([1, 2, 3, 4].map((i) => [`maxpool${i}`, `pool${i}`])),
  ...Object.fromEntries(['3a', '3b', '4a', '4b', '4c', '4d', '4e', '5a', '5b'].map((m) => [`inception${m}`, `inception_${m}_output`])),
};

/** The card of each variant (`defineFamily` adds name, family and variant). */
export const GOOGLENET_CARDS: Readonly<Record<GoogLeNetVariant, CardFacts>> = {
  paper: {
    description: 'GoogLeNet (Inception v1) as the paper: Table 1 widths, 5x5 branches, LRN, conv biases, two auxiliary classifiers.',
    inputShape: DEFAULT_INPUT_SHAPE,
    minInputSize: AUX_MIN_INPUT_SIZE,
    numClasses: 1000,
    params: { trainable: 13_378_280, nonTrainable: 0 },
    macs: 1_582_671_872,
    paper: GOOGLENET_PAPER,
    preprocessing: TORCHVISION_IMAGENET,
    layerAliases: LAYER_ALIASES,
    notes: [
      'Table 1 widths; each inception module: 1x1, 1x1 -> 3x3, 1x1 -> 5x5, 3x3/1 max pool -> 1x1 projection; conv biases and ReLU, no BatchNorm.',
      "Where the paper is silent, Caffe's bvlc_googlenet: symmetric pads (conv1 pad 3), 3x3/2 max pools that round up (ceil mode), and LRN " +
        'after pool1 and after conv2 with size 5, alpha 1e-4 in the divided convention (ONNX, Caffe, PyTorch: alpha/size multiplies the sum of squares), beta 0.75, bias 1.',
      'Auxiliary classifiers on 4a and 4d (5x5/3 average pool, 1x1 conv 128, FC 1024 + ReLU, dropout 0.7, FC) are training-only outputs: ' +
        'predict and export run the main head, and MACs count it alone. Without them (auxClassifiers: false): 6,998,552 trainable parameters.',
      'Main head: average pool, dropout 0.4, FC.',
      sizeNote('paper'),
      ARTICLE_NOTE,
    ],
  },
  torchvision: {
    description: "GoogLeNet as torchvision builds it: BatchNorm after every convolution, 3x3 in the '5x5' branch, no LRN.",
    inputShape: DEFAULT_INPUT_SHAPE,
    minInputSize: AUX_MIN_INPUT_SIZE,
    numClasses: 1000,
    params: { trainable: 13_004_888, nonTrainable: 15_072 },
    macs: 1_498_376_192,
    paper: GOOGLENET_PAPER,
    preprocessing: TORCHVISION_IMAGENET,
    layerAliases: LAYER_ALIASES,
    notes: [
      "torchvision: BatchNorm (eps 1e-3) after every convolution, which has no bias; the '5x5' branch has a 3x3 kernel (kept for torchvision's weights); " +
        'no LRN; ceil-mode max pools, the one after 4e 2x2/2; main-head dropout 0.2.',
      'Auxiliary classifiers on 4a and 4d (1x1 conv 128 + BatchNorm, FC 2048 -> 1024 + ReLU, dropout 0.7, FC) are training-only outputs: ' +
        'predict and export run the main head, and MACs count it alone. Without them (auxClassifiers: false): 6,624,904 trainable, 14,560 non-trainable.',
      'torchvision pools the auxiliary input adaptively to 4x4, which at 14x14 averages 4x4 windows starting at 0, 3, 7 and 10; one strided pool cannot ' +
        'express that, so the auxiliary heads here use the paper\'s 5x5/3 average pool (same 4x4x128 shape and parameters, slightly different values; the main head is exact).',
      sizeNote('torchvision'),
      ARTICLE_NOTE,
    ],
  },
};
