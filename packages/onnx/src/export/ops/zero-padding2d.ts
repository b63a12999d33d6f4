import type { Emit } from './types.js';

export const zeroPadding2d: Emit<'ZeroPadding2D'> = (node, [x], { g }) => {
  const [[t, b], [l, r]] = node.attrs.padding;
  return { name: g.node('Pad', [x!.name, g.int64s(`${node.name}/pads`, [0, 0, t, l, 0, 0, b, r])], node.name) };
};
