/** Dense as Gemm, absorbing a pending NCHW flatten and folding a following inference BatchNorm. */
import { denseKernelRows } from '../../initializers.js';
import { flattenPermutation } from '../../layout.js';
import { batchNormAffine, foldedBias } from './batch-norm-affine.js';
import type { Emit } from './types.js';

export const dense: Emit<'Dense'> = (node, [x], { model, g, foldedInto }) => {
  const bn = foldedInto(node.name);
  const affine = bn ? batchNormAffine(bn, model) : undefined;
  const kernel = model.weight(node.name, 'kernel');
  const perm = x!.flatFrom ? flattenPermutation(x!.flatFrom) : undefined;
  const inputs = [x!.name, g.initializer(`${node.name}/kernel`, kernel.shape, denseKernelRows(kernel, perm, affine?.scale))];
  const bias = node.attrs.useBias ? model.weight(node.name, 'bias').data : undefined;
  if (affine) inputs.push(g.vector(`${node.name}/bias`, foldedBias(bias, affine)));
  else if (bias) inputs.push(g.vector(`${node.name}/bias`, bias));
  // transB = 0: convzoo's [in, out] kernel is Gemm's B as is.
  return { name: g.node('Gemm', inputs, bn?.name ?? node.name, {}, node.name) };
};
