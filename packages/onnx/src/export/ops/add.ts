import type { Emit } from './types.js';

export const add: Emit<'Add'> = (node, inputs, { g, plain }) => {
  const names = inputs.map((v) => plain(v).name);
  return { name: g.node(names.length === 2 ? 'Add' : 'Sum', names, node.name) };
};
