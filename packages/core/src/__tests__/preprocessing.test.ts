import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, MNIST, Model, TORCHVISION_IMAGENET, checkPreprocessing, resolveLayer, type Graph } from '../index.js';
import { PREPROCESSING_FILE, loadModelDir, saveModelDir } from '../node.js';

/** input -> block1 (conv, relu) -> block2 (conv, relu) -> gap -> fc. */
function graph(): Graph {
  const g = new GraphBuilder('small');
  let y = g.input([8, 8, 3]);
  for (const b of ['block1', 'block2']) y = g.relu(g.conv2d(y, { filters: 4, kernelSize: 3, padding: 'same', name: `${b}_conv` }), `${b}_relu`);
  return g.build([g.dense(g.globalAvgPool2d(y, 'gap'), { units: 5, name: 'fc' })]);
}

describe('Model.withOutputs', () => {
  it('cuts the graph to the named nodes, with their weights and in their order', () => {
    const m = Model.init(graph(), 3).withPreprocessing(TORCHVISION_IMAGENET);
    const f = m.withOutputs(['gap', 'block1_relu']);
    expect(f.graph.outputs).toEqual(['gap', 'block1_relu']);
    expect(f.nodes.map((n) => n.name)).not.toContain('fc');
    expect([...f.weights.keys()].sort()).toEqual(['block1_conv/bias', 'block1_conv/kernel', 'block2_conv/bias', 'block2_conv/kernel']);
    expect(f.weights.get('block2_conv/kernel')).toBe(m.weights.get('block2_conv/kernel'));
    expect(f.outputShapes).toEqual([[4], [8, 8, 4]]);
    expect(f.preprocessing).toBe(TORCHVISION_IMAGENET);
    expect(() => m.withOutputs(['nope'])).toThrow('no node "nope"');
  });
});

describe('resolveLayer', () => {
  const m = Model.init(graph(), 0);
  it('takes node names, aliases and dotted module paths (a container is its last node)', () => {
    expect(resolveLayer(m, 'gap')).toBe('gap');
    expect(resolveLayer(m, 'avgpool', { avgpool: 'gap' })).toBe('gap');
    expect(resolveLayer(m, 'block1')).toBe('block1_relu');
    expect(resolveLayer(m, 'block2.conv')).toBe('block2_conv');
    expect(() => resolveLayer(m, 'layer9', { avgpool: 'gap' })).toThrow('no layer "layer9" in small: give a node name (convzoo summary lists them) or one of avgpool');
  });
});

describe('preprocessing records', () => {
  it('travel through a model directory as preprocessing.json', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'prep-')), 'm');
    const m = Model.init(graph(), 1).withPreprocessing(TORCHVISION_IMAGENET);
    saveModelDir(m, dir);
    expect(JSON.parse(readFileSync(join(dir, PREPROCESSING_FILE), 'utf8'))).toEqual(JSON.parse(JSON.stringify(TORCHVISION_IMAGENET)));
    expect(loadModelDir(dir).preprocessing).toEqual(JSON.parse(JSON.stringify(TORCHVISION_IMAGENET)));
    saveModelDir(m.withPreprocessing(undefined), dir);
    expect(existsSync(join(dir, PREPROCESSING_FILE))).toBe(false);
    expect(loadModelDir(dir).preprocessing).toBeUndefined();
  });

  it('a malformed record is an error naming the file and the field', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'prep-')), 'm');
    saveModelDir(Model.init(graph(), 1), dir);
    writeFileSync(join(dir, PREPROCESSING_FILE), JSON.stringify({ ...TORCHVISION_IMAGENET, std: [1, 0, 1] }));
    expect(() => loadModelDir(dir)).toThrow(`${join(dir, PREPROCESSING_FILE)}: preprocessing: "std" must not hold 0`);
    writeFileSync(join(dir, PREPROCESSING_FILE), '{');
    expect(() => loadModelDir(dir)).toThrow(PREPROCESSING_FILE);
  });

  it.each<[string, unknown, string]>([
    ['an unknown field', { ...MNIST, gamma: 2 }, 'unknown field "gamma"'],
    ['a bad resize', { ...MNIST, resize: 0 }, '"resize" must be a positive integer'],
    ['a mean of the wrong length', { ...TORCHVISION_IMAGENET, mean: [0.5] }, '"mean" must be 3 finite number(s) for rgb'],
    ['a bad interpolation', { ...MNIST, interpolation: 'lanczos' }, '"interpolation" must be nearest, bilinear or bicubic'],
  ])('checkPreprocessing refuses %s', (_n, value, message) => {
    expect(() => checkPreprocessing(value)).toThrow(message);
  });
});
