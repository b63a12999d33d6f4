import { flattenPermutation } from '../../layout.js';
import { nodeError, refuse } from '../context.js';
import type { Handler } from './types.js';
import { constIn, relabel, tensorIn } from './values.js';

/**
 * BatchNormalization in inference. Before 7 `is_test` 0 (the default) asks for batch statistics;
 * before 9 `spatial` 0 means one statistic per element, which on a feature map convzoo's
 * per-channel BatchNorm cannot hold (on [N, C] it is the same). consumed_inputs (1) is a legacy
 * in-place hint with no effect on the result.
 */
export const batchNorm: Handler = (node, [x, ...params], ctx, a) => {
  const v = tensorIn(node, x, 0, ['map', 'vec', 'pooled', 'flat']);
  if (ctx.opset < 7 && a.int('is_test', 0) === 0) throw refuse(node, 'is_test', 0, 'that normalizes with batch statistics (training mode); export the model in eval mode');
  if (ctx.opset < 9 && v.kind === 'map' && a.int('spatial', 1) === 0) throw refuse(node, 'spatial', 0, 'per-element statistics over a feature map; convzoo\'s BatchNorm is per channel');
  if (a.int('training_mode', 0) !== 0) throw refuse(node, 'training_mode', a.int('training_mode'), 'inference only; export the model in eval mode');
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
