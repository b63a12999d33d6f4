/** Ops without parameters whose forward is one torch call. */
import type { Emitter } from '../emitter.js';
import { pyFloat } from '../python.js';
import { fPad } from './padding.js';

export const flatten: Emitter<'Flatten'> = () => ({ forward: ([x]) => `torch.flatten(${x}, 1)` });

export const globalAvgPool2d: Emitter<'GlobalAvgPool2D'> = () => ({ forward: ([x]) => `${x}.mean(dim=(2, 3))` });

export const dropout: Emitter<'Dropout'> = (node) => ({ forward: ([x]) => `F.dropout(${x}, ${pyFloat(node.attrs.rate)}, self.training)` });

/** Same definition in both (alpha divided by size), so the constants carry over as they are. */
export const lrn: Emitter<'LRN'> = (node) => {
  const a = node.attrs;
  return { forward: ([x]) => `F.local_response_norm(${x}, ${a.size}, alpha=${pyFloat(a.alpha)}, beta=${pyFloat(a.beta)}, k=${pyFloat(a.bias)})` };
};

export const add: Emitter<'Add'> = () => ({ forward: (xs) => xs.join(' + ') });

/** convzoo concatenates along its last (channel) axis: NCHW's dim 1. */
export const concatenate: Emitter<'Concatenate'> = () => ({ forward: (xs) => `torch.cat([${xs.join(', ')}], dim=1)` });

export const zeroPadding2d: Emitter<'ZeroPadding2D'> = (node) => {
  const [[t, b], [l, r]] = node.attrs.padding;
  return { forward: ([x]) => fPad(x!, [l, r, t, b]) };
};
