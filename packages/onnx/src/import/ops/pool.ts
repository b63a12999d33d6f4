import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { tensorIn } from './values.js';
import { windowFromAttrs } from './window.js';

/** MaxPool and AveragePool. */
export function pool(op: 'MaxPool2D' | 'AvgPool2D'): Handler {
  return (node, [x], ctx, a) => {
    const input = tensorIn(node, x, 0, ['map']);
    const win = windowFromAttrs(node, a);
    if (win.dilation[0] !== 1 || win.dilation[1] !== 1) throw nodeError(node, 'dilated pooling is not supported', 'UNSUPPORTED');
    if (a.int('storage_order', 0) !== 0) throw nodeError(node, 'storage_order 1 is not supported', 'UNSUPPORTED');
    const common = { poolSize: win.kernelSize, strides: win.strides, padding: win.padding, ceilMode: a.int('ceil_mode', 0) === 1 };
    const out = op === 'MaxPool2D'
      ? ctx.add(node, 'MaxPool2D', [input.node], common)
      : ctx.add(node, 'AvgPool2D', [input.node], { ...common, countIncludePad: a.int('count_include_pad', 0) === 1 });
    return { kind: 'map', node: out };
  };
}
