import type { Handler } from './types.js';
import { tensorIn } from './values.js';
import { windowFromAttrs } from './window.js';

/**
 * MaxPool (1, 8, 10, 11, 12; dilations from 10) and AveragePool (1, 7, 10, 11, 19; dilations
 * from 19). storage_order only orders the Indices output, which the importer refuses to read anyway.
 */
export function pool(op: 'MaxPool2D' | 'AvgPool2D'): Handler {
  return (node, [x], ctx, a) => {
    const input = tensorIn(node, x, 0, ['map']);
    const win = windowFromAttrs(node, a, input.node.shape);
    const dilated = win.dilation[0] !== 1 || win.dilation[1] !== 1;
    const common = {
      poolSize: win.kernelSize, strides: win.strides, padding: win.padding, ceilMode: a.int('ceil_mode', 0) === 1,
      ...(dilated ? { dilation: win.dilation } : {}),
    };
    const out = op === 'MaxPool2D'
      ? ctx.add(node, 'MaxPool2D', [input.node], common)
      : ctx.add(node, 'AvgPool2D', [input.node], { ...common, countIncludePad: a.int('count_include_pad', 0) === 1 });
    return { kind: 'map', node: out };
  };
}
