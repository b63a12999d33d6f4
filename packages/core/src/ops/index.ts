import type { OpName } from './attrs.js';
import type { OpDef } from './types.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { avgPool2d, maxPool2d } from './pool2d.js';
import { subsampling } from './subsampling.js';
import {
  activation, add, batchNorm, concatenate, dropout, flatten, globalAvgPool2d, input, lrn, zeroPadding2d,
} from './layers.js';

/** The op table: shape, parameter and MAC rules for every op of the IR. */
export const OPS: { readonly [K in OpName]: OpDef<K> } = {
  Input: input,
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

export * from './attrs.js';
export type { OpDef, ParamSpec, InitKind } from './types.js';
export { poolDilation } from './pool2d.js';
export { axisWindow, window2d, windowDivisors, type AxisWindow, type Window2D } from './window.js';
