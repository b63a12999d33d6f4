import { oihwToHwio } from '../../layout.js';
import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { constIn, tensorIn } from './values.js';
import { windowFromAttrs } from './window.js';

export const conv: Handler = (node, [x, w, b], ctx, a) => {
  const input = tensorIn(node, x, 0, ['map']);
  const weight = constIn(node, w, 1, 'weights');
  if (weight.dims.length !== 4) throw nodeError(node, `only 2-D convolutions are supported, weights have dims [${weight.dims.join(', ')}]`, 'UNSUPPORTED');
  const [o, i, kh, kw] = weight.dims as [number, number, number, number];
  const win = windowFromAttrs(node, a, input.node.shape, [kh, kw]);
  const bias = b === undefined ? undefined : constIn(node, b, 2, 'bias').floats();
  const out = ctx.add(node, 'Conv2D', [input.node], {
    filters: o, kernelSize: win.kernelSize, strides: win.strides, padding: win.padding, dilation: win.dilation,
    groups: a.int('group', 1), useBias: bias !== undefined,
  }, {
    kernel: { shape: [kh, kw, i, o], data: oihwToHwio(weight.floats(), [o, i, kh, kw]) },
    ...(bias ? { bias: { shape: [bias.length], data: bias } } : {}),
  });
  return { kind: 'map', node: out };
};
