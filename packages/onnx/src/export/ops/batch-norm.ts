import type { Emit } from './types.js';

export const batchNorm: Emit<'BatchNorm'> = (node, [x], ctx) => {
  if (ctx.isFolded(node.name)) return x!; // its producer already wrote this value
  const { model, g } = ctx;
  const params = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => g.vector(`${node.name}/${p}`, model.weight(node.name, p).data));
  return {
    name: g.node('BatchNormalization', [ctx.plain(x!).name, ...params], node.name, {
      epsilon: { float: node.attrs.epsilon },
      momentum: { float: node.attrs.momentum },
    }),
  };
};
