import { describe, expect, it } from 'vitest';
import { GraphBuilder, Model, maxRelDiff } from '../index.js';
import { OP_CASES, opCaseModel, randomInput, referencePredict } from '../testing/index.js';

describe('reference interpreter', () => {
  it.each(OP_CASES.map((c) => [c.name, c] as const))('%s matches the hand-checked output', (_name, c) => {
    const [out] = referencePredict(opCaseModel(c), { shape: [1, ...c.inputShape], data: Float32Array.from(c.input) });
    expect(maxRelDiff(out!.data, Float32Array.from(c.expected))).toBeLessThan(1e-7);
  });

  it('runs a batch: each sample independently', () => {
    const g = new GraphBuilder('b');
    const x = g.input([6, 6, 2]);
    const y = g.dense(g.flatten(g.conv2d(x, { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })), { units: 4 });
    const m = Model.init(g.build([y]), 3);
    const batch = randomInput([2, 6, 6, 2], 1);
    const [both] = referencePredict(m, batch);
    const [second] = referencePredict(m, { shape: [1, 6, 6, 2], data: batch.data.slice(72) });
    expect(both!.shape).toEqual([2, 4]);
    expect(both!.data.slice(4)).toEqual(second!.data);
  });

  it('skips training-only heads', () => {
    const g = new GraphBuilder('aux');
    const x = g.input([2]);
    const m = Model.init(g.build([g.dense(x, { units: 1 })], [g.dense(x, { units: 5 })]), 0);
    const outs = referencePredict(m, randomInput([1, 2]));
    expect(outs.map((o) => o.shape)).toEqual([[1, 1]]);
  });
});
