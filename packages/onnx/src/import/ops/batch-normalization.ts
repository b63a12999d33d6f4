import { flattenPermutation } from '../../layout.js';
import { nodeError } from '../context.js';
import type { Handler } from './types.js';
import { constIn, relabel, tensorIn } from './values.js';

export const batchNorm: Handler = (node, [x, ...params], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'vec', 'pooled', 'flat']);
  if (a.int('training_mode', 0) !== 0) throw nodeError(node, 'training_mode 1 is not supported (export the model in eval mode)', 'UNSUPPORTED');
  if (node.outputs.length > 1 && node.outputs.slice(1).some((o) => o !== '')) throw nodeError(node, 'running-statistics outputs are not supported (inference only)', 'UNSUPPORTED');
  const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
  const channels = v.node.shape[v.node.shape.length - 1]!;
  // After an NCHW flatten the features come permuted: put each parameter at its convzoo feature.
  const perm = v.kind === 'flat' ? flattenPermutation(v.from) : undefined;
  const weights = Object.fromEntries(names.map((n, i) => {
    const t = constIn(node, params[i], i + 1, n).floats();
    if (t.length !== channels) throw nodeError(node, `${n} has ${t.length} values, expected ${channels}`);
    const data = perm ? new Float32Array(t.length) : t;
    if (perm) t.forEach((val, r) => (data[perm[r]!] = val));
    return [n, { shape: [channels], data }];
  }));
  // ONNX momentum weighs the running statistic, as convzoo's does (torch's 0.1 exports as 0.9).
  const out = ctx.add(node, 'BatchNorm', [v.node], { epsilon: a.float('epsilon', 1e-5), momentum: a.float('momentum', 0.9) }, weights);
  return relabel(v, out);
};
