import { nodeError, refuse } from '../context.js';
import type { Handler } from './types.js';
import { relabel, scalarIn, tensorIn } from './values.js';

/**
 * Dropout in inference: the identity. Before 7 `is_test` 0 (the default) asks for random
 * training-mode dropout; from 12 the ratio and training_mode are inputs.
 */
export const dropout: Handler = (node, [x, ratioIn, trainingIn], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  if (node.outputs.length > 1 && node.outputs[1] !== '') throw nodeError(node, 'the dropout mask output is not supported', 'UNSUPPORTED');
  if (ctx.opset < 7 && a.int('is_test', 0) === 0) throw refuse(node, 'is_test', 0, 'that is training-mode (random) dropout; export the model in eval mode');
  const training = trainingIn === undefined ? 0 : trainingIn.kind === 'const' ? trainingIn.tensor.ints()[0] : 'a non-constant';
  if (ctx.opset >= 12 && training !== 0) throw refuse(node, 'training_mode', training, 'that is training-mode (random) dropout');
  const rate = ctx.opset >= 12 ? (ratioIn === undefined ? 0.5 : scalarIn(ratioIn)) : a.float('ratio', 0.5);
  if (rate === undefined) throw nodeError(node, 'ratio must be a constant scalar', 'UNSUPPORTED');
  return relabel(v, ctx.add(node, 'Dropout', [v.node], { rate }));
};
