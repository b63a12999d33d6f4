/** Hand-built graphs that exercise an exporter's layout bookkeeping beyond the one-op cases (ceil-mode pools, pending flattens, folded BatchNorms). */
import { GraphBuilder, type Graph } from '@convzoo/core';

export const GRAPH_CASES: Record<string, () => Graph> = {
  'MaxPool ceil mode whose last window would start in the padding (PyTorch drops it)': () => {
    const g = new GraphBuilder('ceil_max');
    return g.build([g.maxPool2d(g.input([5, 5, 2]), { poolSize: 2, strides: 2, padding: [[1, 1], [1, 1]], ceilMode: true })]);
  },
  'AvgPool ceil mode with pads, counting pads': () => {
    const g = new GraphBuilder('ceil_avg_incl');
    return g.build([g.avgPool2d(g.input([6, 7, 2]), { poolSize: 3, strides: 2, padding: [[1, 1], [1, 1]], ceilMode: true, countIncludePad: true })]);
  },
  'AvgPool ceil mode with pads, excluding pads': () => {
    const g = new GraphBuilder('ceil_avg_excl');
    return g.build([g.avgPool2d(g.input([6, 7, 2]), { poolSize: 3, strides: 2, padding: [[1, 1], [1, 1]], ceilMode: true, countIncludePad: false })]);
  },
  'conv, BatchNorm, flatten, dense, BatchNorm on the vector, softmax': () => {
    const g = new GraphBuilder('cbfd');
    let x = g.conv2d(g.input([6, 5, 3]), { filters: 4, kernelSize: 3, useBias: false, name: 'conv' });
    x = g.relu(g.batchNorm(x, { epsilon: 1e-3, name: 'bn' }));
    x = g.dense(g.flatten(x), { units: 7, name: 'fc' });
    x = g.batchNorm(x, { epsilon: 1e-5, name: 'bn_fc' });
    return g.build([g.activation(x, 'softmax')]);
  },
  'flatten, elementwise ops and dropout before dense (rows permuted once)': () => {
    const g = new GraphBuilder('flat_chain');
    let x = g.conv2d(g.input([4, 4, 3]), { filters: 5, kernelSize: 2, name: 'conv' });
    x = g.activation(g.dropout(g.activation(g.flatten(x), 'tanh'), 0.5), 'scaled_tanh');
    return g.build([g.dense(x, { units: 3, name: 'fc' })]);
  },
  'flatten as an output, and into Add and Concatenate (order restored)': () => {
    const g = new GraphBuilder('flat_out');
    const m = g.conv2d(g.input([3, 4, 2]), { filters: 3, kernelSize: 1, name: 'conv' });
    const f = g.flatten(m, 'flat');
    const s = g.add([f, g.relu(f)]);
    return g.build([f, s, g.concatenate([f, s])]);
  },
  'feature-map outputs, one read further, with a BatchNorm that cannot fold (two readers)': () => {
    const g = new GraphBuilder('features');
    const a = g.conv2d(g.input([8, 8, 3]), { filters: 4, kernelSize: 3, padding: 'same', name: 'a' });
    const b = g.batchNorm(a, { name: 'b' });
    const c = g.conv2d(g.relu(b), { filters: 6, kernelSize: 3, strides: 2, padding: 'same', name: 'c' });
    return g.build([b, c, g.globalAvgPool2d(g.add([c, c]))]);
  },
  'dropout as the output (an Identity names it)': () => {
    const g = new GraphBuilder('dropout_out');
    return g.build([g.dropout(g.dense(g.input([5]), { units: 4 }), 0.3, 'out')]);
  },
  'grouped conv with dilation and SAME padding, then LRN size 5': () => {
    const g = new GraphBuilder('groups');
    const x = g.conv2d(g.input([9, 9, 4]), { filters: 6, kernelSize: 3, groups: 2, dilation: 2, padding: 'same', name: 'conv' });
    return g.build([g.lrn(x, { size: 5, alpha: 5e-4, beta: 0.75, bias: 2 })]);
  },
  'LRN with an even size (spelled out in standard ops)': () => {
    const g = new GraphBuilder('lrn_even');
    return g.build([g.lrn(g.input([3, 3, 7]), { size: 4, alpha: 0.3, beta: 0.6, bias: 1.5 })]);
  },
};

