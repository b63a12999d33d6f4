/** One emitter per convzoo op: writes the ONNX nodes (NCHW) that compute it. */
import type { OpName } from '@convzoo/core';
import type { Emit } from './types.js';
import { activation } from './activation.js';
import { add } from './add.js';
import { batchNorm } from './batch-norm.js';
import { concatenate } from './concatenate.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { globalAvgPool2d } from './global-avg-pool2d.js';
import { lrn } from './lrn.js';
import { avgPool2d, maxPool2d } from './pool.js';
import { subsampling } from './subsampling.js';
import { zeroPadding2d } from './zero-padding2d.js';

export const EMITTERS: { readonly [K in Exclude<OpName, 'Input'>]: Emit<K> } = {
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

export type { Emit, EmitContext, Value } from './types.js';
