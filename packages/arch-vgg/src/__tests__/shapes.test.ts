import { describe, expect, it } from 'vitest';
import { ShapeError, analyzeGraph, create, type Graph } from '@convzoo/core';
import { vggCards, VGG_NAMES, type VggDepth, type VggName, type VggOptions } from '../index.js';
import { vggGraph } from '../vgg.js';

// Shapes come from the graph alone: seeding 130M+ weights per case would take seconds each.
// (counts.test.ts builds every model through the public builders.)
const graphOf = (name: VggName, options: VggOptions = {}): Graph =>
  vggGraph(Number(name.slice(3, 5)) as VggDepth, name.endsWith('_bn'), options);

function inspect(graph: Graph) {
  const a = analyzeGraph(graph);
  return {
    outputs: graph.outputs.map((o) => a.shapes.get(o)),
    shapeOf: (node: string) => a.shapes.get(node),
    paramShape: (node: string, param: string) => a.params.get(node)!.find((p) => p.name === param)!.shape,
  };
}

const STAGES = { pool1: [112, 112, 64], pool2: [56, 56, 128], pool3: [28, 28, 256], pool4: [14, 14, 512], pool5: [7, 7, 512] };

describe.each(VGG_NAMES)('%s output shapes', (name) => {
  it('default: 1000 logits from fc8; numClasses; softmax as Keras', () => {
    expect(graphOf(name).outputs).toEqual(['fc8']);
    expect(inspect(graphOf(name)).outputs).toEqual([[1000]]);
    expect(inspect(graphOf(name, { numClasses: 10 })).outputs).toEqual([[10]]);
    const soft = graphOf(name, { classifierActivation: 'softmax' });
    expect(soft.outputs).toEqual(['predictions']);
    expect(inspect(soft).outputs).toEqual([[1000]]);
  });

  it('includeTop false: pool5 7x7x512, or avg / max pooled to 512', () => {
    expect(inspect(graphOf(name, { includeTop: false })).outputs).toEqual([[7, 7, 512]]);
    expect(inspect(graphOf(name, { includeTop: false, pooling: 'avg' })).outputs).toEqual([[512]]);
    expect(inspect(graphOf(name, { includeTop: false, pooling: 'max' })).outputs).toEqual([[512]]);
  });

  it('features: pool1..pool5, or the named ones', () => {
    expect(inspect(graphOf(name, { features: true })).outputs).toEqual(Object.values(STAGES));
    expect(inspect(graphOf(name, { features: ['pool4', 'pool2'] })).outputs).toEqual([STAGES.pool4, STAGES.pool2]);
  });

  it('builds at its 32x32 minimum (fc6 reads the 1x1x512 map); 31x31 is a ShapeError naming pool5', () => {
    const min = vggCards[name].paper.minInputSize;
    expect(min).toBe(32);
    const m = inspect(graphOf(name, { inputShape: [min, min, 3], numClasses: 10 }));
    expect(m.outputs).toEqual([[10]]);
    expect(m.paramShape('fc6', 'kernel')).toEqual([512, 4096]);
    expect(() => create(name, { inputShape: [min - 1, min - 1, 3] })).toThrow(ShapeError);
    expect(() => create(name, { inputShape: [min - 1, min - 1, 3] })).toThrow(/^node "pool5": \(MaxPool2D\) pool 2x2 does not fit input 1x1x512 /);
  });
});

describe('vgg options and other inputs', () => {
  it('non-square and grey inputs; the head follows the input size', () => {
    expect(inspect(graphOf('vgg16', { inputShape: [64, 96, 3], includeTop: false })).outputs).toEqual([[2, 3, 512]]);
    const grey = inspect(graphOf('vgg11', { inputShape: [64, 64, 1], numClasses: 2 }));
    expect(grey.paramShape('conv1_1', 'kernel')).toEqual([3, 3, 1, 64]);
    expect(grey.paramShape('fc6', 'kernel')).toEqual([2 * 2 * 512, 4096]);
    expect(grey.outputs).toEqual([[2]]);
  });

  it('an 8x8 input is a clear error naming the layer where the map vanishes', () => {
    expect(() => create('vgg16', { inputShape: [8, 8, 3] })).toThrow(
      "node \"pool4\": (MaxPool2D) pool 2x2 does not fit input 1x1x512 with padding 'valid'; the input is too small for this layer",
    );
  });

  it('node names: conv<stage>_<i>, _bn, _relu, pool<stage>, fc6..fc8, drop6/drop7', () => {
    const names = graphOf('vgg11_bn').nodes.map((n) => n.name);
    expect(names.slice(0, 6)).toEqual(['input', 'conv1_1', 'conv1_1_bn', 'conv1_1_relu', 'pool1', 'conv2_1']);
    expect(names.slice(-9)).toEqual(['pool5', 'flatten', 'fc6', 'fc6_relu', 'drop6', 'fc7', 'fc7_relu', 'drop7', 'fc8']);
    expect(graphOf('vgg19').nodes.filter((n) => n.op === 'Conv2D').map((n) => n.name).slice(-4)).toEqual(['conv5_1', 'conv5_2', 'conv5_3', 'conv5_4']);
  });

  it('dropout sets both classifier dropouts; 0 leaves them out', () => {
    const rates = (options: VggOptions) => graphOf('vgg11', options).nodes.flatMap((n) => (n.op === 'Dropout' ? [[n.name, n.attrs.rate]] : []));
    expect(rates({})).toEqual([['drop6', 0.5], ['drop7', 0.5]]);
    expect(rates({ dropout: 0.1 })).toEqual([['drop6', 0.1], ['drop7', 0.1]]);
    expect(rates({ dropout: 0 })).toEqual([]);
  });

  it('the only variant is paper; anything else is an error naming it', () => {
    expect(inspect(graphOf('vgg11', { variant: 'paper', includeTop: false })).outputs).toEqual([[7, 7, 512]]);
    expect(() => create('vgg19_bn', { variant: 'torchvision' })).toThrow('unknown variant "torchvision" for vgg19_bn; expected one of: paper');
    expect(() => create('vgg11', { features: ['block1'] })).toThrow('unknown feature stage "block1"; expected one of: pool1, pool2, pool3, pool4, pool5');
  });
});
