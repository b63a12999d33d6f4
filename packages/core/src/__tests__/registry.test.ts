import { describe, expect, it } from 'vitest';
import { ConvzooError, GraphBuilder, Model, classifierOutput, create, list, poolFeatures, register, resolveInput, resolveVariant, selectFeatures } from '../index.js';
import type { ModelCard } from '../index.js';

const card: ModelCard = {
  name: 'tiny', family: 'test', variant: 'paper', description: 'a test model', inputShape: [4, 4, 1], minInputSize: 1,
  numClasses: 2, params: { trainable: 34, nonTrainable: 0 }, macs: 32,
  paper: { title: 't', authors: 'a', year: 2026, url: 'https://example.org' }, notes: [],
};

describe('registry', () => {
  register({
    name: 'tiny', family: 'test', variants: ['paper', 'wide'],
    card: () => card,
    create: (o = {}) => {
      resolveVariant('tiny', ['paper', 'wide'], o.variant);
      const g = new GraphBuilder('tiny');
      return Model.init(g.build([g.dense(g.flatten(g.input([4, 4, 1])), { units: o.numClasses ?? 2 })]), o.seed ?? 0);
    },
  });

  it('lists and creates by name', () => {
    expect(list().map((e) => e.name)).toContain('tiny');
    expect(create('tiny', { numClasses: 3 }).outputShapes).toEqual([[3]]);
  });

  it('names the unknown architecture and what exists', () => {
    expect(() => create('resnet9000')).toThrow('unknown architecture "resnet9000"; expected one of: tiny');
    try {
      create('resnet9000');
    } catch (e) {
      expect((e as ConvzooError).code).toBe('UNKNOWN_MODEL');
    }
  });

  it('names the unknown variant and the valid ones', () => {
    expect(() => create('tiny', { variant: 'huge' })).toThrow('unknown variant "huge" for tiny; expected one of: paper, wide');
  });
});

describe('builder heads', () => {
  const g = new GraphBuilder('h');
  const x = g.conv2d(g.input([8, 8, 3]), { filters: 4, kernelSize: 3, name: 'c' });
  it('pools features', () => {
    expect(poolFeatures(g, x, 'avg').shape).toEqual([4]);
    expect(poolFeatures(new GraphBuilder('m'), { ...x, shape: x.shape }, null)).toEqual(x);
  });
  it('max pooling of a 6x6 map gives a vector', () => {
    const g2 = new GraphBuilder('m');
    const y = g2.conv2d(g2.input([8, 8, 3]), { filters: 4, kernelSize: 3 });
    expect(poolFeatures(g2, y, 'max').shape).toEqual([4]);
  });
  it('selects feature stages by name', () => {
    const stages = [{ name: 'a', tensor: x }, { name: 'b', tensor: x }];
    expect(selectFeatures(stages, true)).toHaveLength(2);
    expect(() => selectFeatures(stages, ['z'])).toThrow('unknown feature stage "z"; expected one of: a, b');
    expect(() => selectFeatures(stages, [])).toThrow('features must name at least one stage; expected some of: a, b');
  });
  it('adds a softmax only when asked', () => {
    const g3 = new GraphBuilder('s');
    const l = g3.input([3]);
    expect(classifierOutput(g3, l, undefined)).toBe(l);
    expect(classifierOutput(g3, l, 'softmax').name).toBe('predictions');
    expect(classifierOutput(g3, l, 'softmax', 'aux1_predictions').name).toBe('aux1_predictions');
    expect(() => classifierOutput(g3, l, 'sigmoid' as never)).toThrow("classifierActivation must be 'linear' or 'softmax', got \"sigmoid\"");
  });
  it('checks input options', () => {
    expect(resolveInput('m', {}, [224, 224, 3])).toEqual([224, 224, 3]);
    expect(() => resolveInput('m', { inputShape: [0, 1, 1] }, [224, 224, 3])).toThrow('m: inputShape must be [H, W, C] of positive integers, got [0,1,1]');
    expect(() => resolveInput('m', { numClasses: 0 }, [224, 224, 3])).toThrow('m: numClasses must be a positive integer, got 0');
    expect(() => resolveInput('m', { dropout: 1 }, [224, 224, 3])).toThrow('m: dropout must be in [0, 1), got 1');
  });
});
