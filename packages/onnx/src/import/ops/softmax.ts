import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { KIND_WORDS, relabel, tensorIn } from './values.js';

export const softmax: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const rank = v.kind === 'vec' || v.kind === 'flat' ? 2 : 4;
  const axis = a.int('axis', ctx.opset >= 13 ? -1 : 1);
  const positive = axis < 0 ? axis + rank : axis;
  // convzoo's softmax runs over channels (the last axis); before opset 13, ONNX's runs over everything after axis.
  const channels = v.kind === 'map' ? positive === 1 && ctx.opset >= 13 : v.kind === 'map_nhwc' ? positive === 3 : positive === 1;
  if (!channels) throw nodeError(node, `Softmax over axis ${axis} of ${KIND_WORDS[v.kind]} is not supported (only over channels or features)`, 'UNSUPPORTED');
  return relabel(v, ctx.add(node, 'Activation', [v.node], { fn: 'softmax' }));
};
