import { constantFilterRows } from '../../initializers.js';
import { geometry, windowAttrs } from '../../window.js';
import type { Emit } from './types.js';

/** LeNet-5 subsampling = a depthwise conv whose 2x2 filter c is all coefficient[c], plus bias. */
export const subsampling: Emit<'Subsampling'> = (node, [x], { model, g }) => {
  const a = node.attrs;
  const coef = model.weight(node.name, 'coefficient').data;
  const c = coef.length;
  const [kh, kw] = a.poolSize;
  const inputs = [
    x!.name,
    g.initializer(`${node.name}/kernel`, [c, 1, kh, kw], constantFilterRows(coef, kh * kw)),
    g.vector(`${node.name}/bias`, model.weight(node.name, 'bias').data),
  ];
  return {
    name: g.node('Conv', inputs, node.name, {
      ...windowAttrs(geometry(model.shapeOf(node.inputs[0]!), a.poolSize, a.strides, [1, 1], 'valid'), false),
      group: { int: c },
    }),
  };
};
