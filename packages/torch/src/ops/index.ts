import type { OpName } from '@convzoo/core';
import type { Emitter } from '../emitter.js';
import { activation } from './activation.js';
import { batchNorm } from './batch-norm.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { add, concatenate, dropout, flatten, globalAvgPool2d, lrn, zeroPadding2d } from './layers.js';
import { avgPool2d, maxPool2d } from './pool2d.js';
import { subsampling } from './subsampling.js';

/** One emitter per op; Input is the forward() argument. */
export const EMITTERS: { readonly [K in Exclude<OpName, 'Input'>]: Emitter<K> } = {
  Conv2D: conv2d, Dense: dense, MaxPool2D: maxPool2d, AvgPool2D: avgPool2d, GlobalAvgPool2D: globalAvgPool2d,
  Flatten: flatten, Dropout: dropout, BatchNorm: batchNorm, LRN: lrn, Activation: activation, Add: add,
  Concatenate: concatenate, ZeroPadding2D: zeroPadding2d, Subsampling: subsampling,
};
