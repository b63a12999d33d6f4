import type { OpName } from '@convzoo/core';
import type { TrainOp } from './types.js';
import { activation } from './activation.js';
import { add } from './add.js';
import { avgPool2d } from './avg-pool2d.js';
import { batchNorm } from './batch-norm.js';
import { concatenate } from './concatenate.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { globalAvgPool2d } from './global-avg-pool2d.js';
import { lrn } from './lrn.js';
import { maxPool2d } from './max-pool2d.js';
import { subsampling } from './subsampling.js';
import { zeroPadding2d } from './zero-padding2d.js';

/** Every op of the IR but Input, one module each. */
export const TRAIN_OPS: { readonly [K in Exclude<OpName, 'Input'>]: TrainOp<K> } = {
  Conv2D: conv2d,
  Dense: dense,
  MaxPool2D: maxPool2d,
  AvgPool2D: avgPool2d,
  GlobalAvgPool2D: globalAvgPool2d,
  Flatten: flatten,
  Dropout: dropout,
  BatchNorm: batchNorm,
  LRN: lrn,
  Activation: activation,
  Add: add,
  Concatenate: concatenate,
  ZeroPadding2D: zeroPadding2d,
  Subsampling: subsampling,
};

export type { TrainOp, OpContext } from './types.js';
