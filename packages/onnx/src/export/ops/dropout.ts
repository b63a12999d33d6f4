import type { Emit } from './types.js';

/** Kept as a node (identity at inference, removed by runtimes) so the graph keeps its layers. */
export const dropout: Emit<'Dropout'> = (node, [x], { g }) => {
  const ratio = g.floats(`${node.name}/ratio`, [node.attrs.rate], []);
  const name = g.node('Dropout', [x!.name, ratio], node.name);
  return x!.flatFrom ? { name, flatFrom: x!.flatFrom } : { name };
};
