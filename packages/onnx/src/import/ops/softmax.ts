import { refuse } from '../context.js';
import type { Handler } from './types.js';
import { KIND_WORDS, relabel, tensorIn } from './values.js';

/**
 * Softmax 1 and 11 flatten the input to 2-D at `axis` (default 1) and normalize each row; 13
 * normalizes along `axis` alone (default -1). convzoo's softmax runs over channels, the last axis.
 */
export const softmax: Handler = (node, [x], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']);
  const rank = v.kind === 'vec' || v.kind === 'flat' ? 2 : 4;
  const axis = a.int('axis', ctx.opset >= 13 ? -1 : 1);
  const positive = axis < 0 ? axis + rank : axis;
  const [h, w] = v.node.shape;
  const channels = v.kind === 'map' ? positive === 1 && (ctx.opset >= 13 || (h === 1 && w === 1)) : v.kind === 'map_nhwc' ? positive === 3 : positive === 1;
  if (!channels) {
    const over = ctx.opset >= 13 ? `axis ${positive}` : `every axis from ${positive} on`;
    throw refuse(node, 'axis', axis, `at opset ${ctx.opset} it normalizes ${KIND_WORDS[v.kind]} over ${over}; convzoo's softmax runs over channels or features only`);
  }
  return relabel(v, ctx.add(node, 'Activation', [v.node], { fn: 'softmax' }));
};
