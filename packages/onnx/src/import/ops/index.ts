/**
 * One handler per supported ONNX operator: what convzoo node(s) it becomes. Covers what
 * torch.onnx.export and tf2onnx write for the five families (and convzoo's own exporter), at
 * every ai.onnx opset; each handler's comment names the versions whose forms it reads.
 */
import { add } from './add.js';
import { batchNorm } from './batch-normalization.js';
import { cast } from './cast.js';
import { clip } from './clip.js';
import { concat } from './concat.js';
import { constant } from './constant.js';
import { conv } from './conv.js';
import { dequantizeLinear } from './dequantize-linear.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { gather } from './gather.js';
import { gemm } from './gemm.js';
import { globalAvgPool } from './global-average-pool.js';
import { globalMaxPool } from './global-max-pool.js';
import { identity } from './identity.js';
import { leakyRelu } from './leaky-relu.js';
import { lrn } from './lrn.js';
import { matmul } from './matmul.js';
import { mul } from './mul.js';
import { pad } from './pad.js';
import { pool } from './pool.js';
import { quantizeLinear } from './quantize-linear.js';
import { reduceMean } from './reduce-mean.js';
import { reshape } from './reshape.js';
import { shape } from './shape.js';
import { softmax } from './softmax.js';
import { squeeze } from './squeeze.js';
import { transpose } from './transpose.js';
import type { Handler } from './types.js';
import { unary } from './unary.js';
import { unsqueeze } from './unsqueeze.js';

export const HANDLERS: Readonly<Record<string, Handler>> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matmul,
  MaxPool: pool('MaxPool2D'),
  AveragePool: pool('AvgPool2D'),
  GlobalAveragePool: globalAvgPool,
  GlobalMaxPool: globalMaxPool,
  ReduceMean: reduceMean,
  Flatten: flatten,
  Reshape: reshape,
  Relu: unary('relu'),
  Tanh: unary('tanh'),
  Sigmoid: unary('sigmoid'),
  LeakyRelu: leakyRelu,
  Clip: clip,
  Softmax: softmax,
  Mul: mul,
  Add: add,
  Sum: add,
  Concat: concat,
  BatchNormalization: batchNorm,
  LRN: lrn,
  Pad: pad,
  Transpose: transpose,
  Dropout: dropout,
  Identity: identity,
  Shape: shape,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Constant: constant,
  Cast: cast,
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
};
