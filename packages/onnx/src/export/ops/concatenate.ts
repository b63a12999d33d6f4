import type { Emit } from './types.js';

export const concatenate: Emit<'Concatenate'> = (node, inputs, { g, plain }) => ({
  name: g.node('Concat', inputs.map((v) => plain(v).name), node.name, { axis: { int: 1 } }),
});
