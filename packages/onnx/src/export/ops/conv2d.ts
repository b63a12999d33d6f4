/** Conv2D as Conv (OIHW kernel), with a following inference BatchNorm folded in. */
import { convKernelRows } from '../../initializers.js';
import { geometry, windowAttrs } from '../../window.js';
import { batchNormAffine, foldedBias } from './batch-norm-affine.js';
import type { Emit } from './types.js';

export const conv2d: Emit<'Conv2D'> = (node, [x], { model, g, foldedInto }) => {
  const a = node.attrs;
  const bn = foldedInto(node.name);
  const affine = bn ? batchNormAffine(bn, model) : undefined;
  const kernel = model.weight(node.name, 'kernel');
  const [kh, kw, cinG] = kernel.shape as [number, number, number, number];
  const inputs = [x!.name, g.initializer(`${node.name}/kernel`, [a.filters, cinG, kh, kw], convKernelRows(kernel, a.connectionMask, affine?.scale))];
  const bias = a.useBias ? model.weight(node.name, 'bias').data : undefined;
  if (affine) inputs.push(g.vector(`${node.name}/bias`, foldedBias(bias, affine)));
  else if (bias) inputs.push(g.vector(`${node.name}/bias`, bias));
  return {
    name: g.node('Conv', inputs, bn?.name ?? node.name, {
      ...windowAttrs(geometry(model.shapeOf(node.inputs[0]!), a.kernelSize, a.strides, a.dilation, a.padding)),
      group: { int: a.groups },
    }, node.name),
  };
};
