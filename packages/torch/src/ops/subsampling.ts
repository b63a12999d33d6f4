import type { Emitter } from '../emitter.js';
import { pyPair } from '../python.js';

/** LeNet-5's S2 / S4 as the prelude's Subsampling module (window sum x weight[c] + bias[c]). */
export const subsampling: Emitter<'Subsampling'> = (node, { inputShapes }) => ({
  module: `Subsampling(${inputShapes[0]![2]}, ${pyPair(node.attrs.poolSize)}, ${pyPair(node.attrs.strides)})`,
  forward: ([x], m) => `${m}(${x})`,
});
