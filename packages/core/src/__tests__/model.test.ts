import { describe, expect, it } from 'vitest';
import { GraphBuilder, Model, WeightsError, logitsOf, type Graph } from '../index.js';

/** conv 3x3 'same' (3->8, bias) -> BN -> relu -> pool 2 -> conv 1x1 groups 2 (8->4, no bias) -> GAP -> dense 10. */
function handBuilt(): Graph {
  const g = new GraphBuilder('hand');
  const x = g.input([16, 16, 3]);
  let y = g.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', name: 'conv1' });
  y = g.relu(g.batchNorm(y, { name: 'bn1' }), 'relu1');
  y = g.maxPool2d(y, { poolSize: 2, name: 'pool1' });
  y = g.conv2d(y, { filters: 4, kernelSize: 1, groups: 2, useBias: false, name: 'conv2' });
  y = g.dense(g.globalAvgPool2d(y, 'gap'), { units: 10, name: 'fc' });
  return g.build([y]);
}

describe('summary', () => {
  const s = Model.init(handBuilt(), 0).summary();

  it('counts params per layer and in total', () => {
    const by = Object.fromEntries(s.layers.map((l) => [l.name, l.params]));
    expect(by.conv1).toEqual({ trainable: 3 * 3 * 3 * 8 + 8, nonTrainable: 0 }); // 224
    expect(by.bn1).toEqual({ trainable: 16, nonTrainable: 16 });
    expect(by.conv2).toEqual({ trainable: 1 * 1 * 4 * 4, nonTrainable: 0 }); // groups halve the inputs per filter
    expect(by.fc).toEqual({ trainable: 4 * 10 + 10, nonTrainable: 0 });
    expect(s.params).toEqual({ trainable: 224 + 16 + 16 + 50, nonTrainable: 16, total: 322 });
  });

  it('counts MACs for convolutions and dense layers only', () => {
    const by = Object.fromEntries(s.layers.map((l) => [l.name, l.macs]));
    expect(by.conv1).toBe(16 * 16 * 9 * 3 * 8); // 55,296
    expect(by.conv2).toBe(8 * 8 * 1 * 4 * 4); // 1,024: (8 / groups) inputs x 4 filters
    expect(by.fc).toBe(40);
    expect(by.bn1).toBe(0);
    expect(by.pool1).toBe(0);
    expect(s.macs).toBe(55_296 + 1_024 + 40);
    expect(s.flops).toBe(2 * s.macs);
  });

  it('prints a table with totals', () => {
    const text = s.toString();
    expect(text).toContain('conv1 (Conv2D)');
    expect(text).toContain('[N, 16, 16, 8]');
    expect(text).toContain('Total params: 322');
    expect(text).toContain('Trainable params: 306');
    expect(text).toContain('Non-trainable params: 16');
    expect(text).toContain('MACs: 56,360 (FLOPs: 112,720)');
  });

  it('gives training-only heads params but no MACs', () => {
    const g = new GraphBuilder('aux');
    const x = g.input([4, 4, 1]);
    const f = g.flatten(x, 'flat');
    const main = g.dense(f, { units: 2, name: 'main' });
    const aux = g.dense(f, { units: 3, name: 'aux' });
    const m = Model.init(g.build([main], [aux]), 0);
    const sum = m.summary();
    expect(sum.params.trainable).toBe(16 * 2 + 2 + 16 * 3 + 3);
    expect(sum.macs).toBe(32);
    expect(sum.layers.find((l) => l.name === 'aux')).toMatchObject({ trainingOnly: true, macs: 0 });
    expect(m.isInferenceNode('aux')).toBe(false);
    expect(sum.toString()).toContain('aux (Dense) *');
  });

  it('counts only the connections of a masked convolution', () => {
    const g = new GraphBuilder('mask');
    const x = g.input([6, 6, 3]);
    const y = g.conv2d(x, { filters: 2, kernelSize: 3, connectionMask: [[1, 0], [1, 1], [0, 1]], name: 'c' });
    const sum = Model.init(g.build([y]), 0).summary();
    expect(sum.params.trainable).toBe(4 * 9 + 2);
    expect(sum.macs).toBe(4 * 4 * 9 * 4);
  });
});

describe('seeded initialization', () => {
  it('is identical for the same seed and differs for another', () => {
    const a = Model.init(handBuilt(), 42);
    const b = Model.init(handBuilt(), 42);
    const c = Model.init(handBuilt(), 43);
    for (const [k, t] of a.weights) expect(b.weights.get(k)!.data).toEqual(t.data);
    expect(c.weights.get('conv1/kernel')!.data).not.toEqual(a.weights.get('conv1/kernel')!.data);
  });

  it('pins the first values (a change here breaks every saved seed)', () => {
    const k = Model.init(handBuilt(), 0).weights.get('conv1/kernel')!.data;
    expect(Array.from(k.subarray(0, 3)).map((v) => v.toFixed(6))).toMatchInlineSnapshot(`
      [
        "0.066918",
        "-0.370333",
        "-0.141275",
      ]
    `);
  });

  it('uses He normal for conv kernels and Glorot uniform for dense', () => {
    const m = Model.init(handBuilt(), 0);
    const k = m.weights.get('conv1/kernel')!.data;
    const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
    expect(std).toBeGreaterThan(Math.sqrt(2 / 27) * 0.8);
    expect(std).toBeLessThan(Math.sqrt(2 / 27) * 1.2);
    const limit = Math.sqrt(6 / (4 + 10));
    const d = m.weights.get('fc/kernel')!.data;
    expect(Math.max(...d.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(m.weights.get('bn1/moving_variance')!.data).toEqual(new Float32Array(8).fill(1));
    expect(m.weights.get('conv1/bias')!.data).toEqual(new Float32Array(8));
  });

  it('zeroes masked kernel entries', () => {
    const g = new GraphBuilder('mask');
    const x = g.input([3, 3, 2]);
    const y = g.conv2d(x, { filters: 2, kernelSize: 1, connectionMask: [[1, 0], [0, 1]], name: 'c' });
    const k = Model.init(g.build([y]), 0).weights.get('c/kernel')!.data; // [1,1,2,2]: (i,o)
    expect(k[1]).toBe(0);
    expect(k[2]).toBe(0);
    expect(k[0]).not.toBe(0);
  });
});

describe('Model weights are checked against the graph', () => {
  const graph = handBuilt();
  const good = () => new Map(Model.init(graph, 0).weights);
  it.each<[string, (w: Map<string, { shape: readonly number[]; data: Float32Array }>) => void, string]>([
    ['missing', (w) => w.delete('fc/bias'), 'missing weight "fc/bias" (shape [10])'],
    ['misshaped', (w) => w.set('fc/bias', { shape: [11], data: new Float32Array(11) }), 'weight "fc/bias" has shape [11], expected [10]'],
    ['unexpected', (w) => w.set('ghost/kernel', { shape: [1], data: new Float32Array(1) }), 'unexpected weight "ghost/kernel": the graph has no such parameter'],
    ['short data', (w) => w.set('fc/bias', { shape: [10], data: new Float32Array(3) }), 'weight "fc/bias" holds 3 values, expected 10'],
  ])('%s', (_n, f, message) => {
    const w = good();
    f(w);
    expect(() => new Model(graph, w)).toThrow(WeightsError);
    expect(() => new Model(graph, w)).toThrow(message);
  });
});

describe('what trainers ask of a model', () => {
  function withAux(): Model {
    const g = new GraphBuilder('heads');
    const f = g.flatten(g.input([2, 2, 1]), 'flat');
    const hidden = g.dense(f, { units: 3, name: 'hidden' });
    const main = g.activation(g.dense(hidden, { units: 2, name: 'main' }), 'softmax', 'probs');
    const aux = g.dense(f, { units: 4, name: 'aux' });
    return Model.init(g.build([main], [aux]), 0);
  }

  it('nodesFor: the nodes an output needs, in topological order', () => {
    const m = withAux();
    expect(m.nodesFor(['main']).map((n) => n.name)).toEqual(['input', 'flat', 'hidden', 'main']);
    expect(m.nodesFor(['aux', 'probs']).map((n) => n.name)).toEqual(['input', 'flat', 'hidden', 'aux', 'main', 'probs']);
    expect(() => m.nodesFor(['nope'])).toThrow('no node "nope" in graph "heads"');
  });

  it('logitsOf: the input of a final softmax, or the output itself, with the class count', () => {
    const m = withAux();
    expect(logitsOf(m, 'probs')).toEqual({ node: 'main', classes: 2 });
    expect(logitsOf(m, 'aux')).toEqual({ node: 'aux', classes: 4 });
    expect(() => logitsOf(m, 'input')).toThrow('training needs classifier outputs of shape [classes]; "input" has shape [2, 2, 1]');
  });
});
