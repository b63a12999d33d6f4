import { describe, expect, it } from 'vitest';
import ElkConstructor from 'elkjs/lib/elk.bundled.js';
import { googlenet } from '@convzoo/arch-inception';
import { resnet18 } from '@convzoo/arch-resnet';
import { lenet5 } from '@convzoo/arch-lenet';
import { groupOf } from '../groups.js';
import { elkGraph, layoutModel, type Layout } from '../layout.js';

const elk = new ElkConstructor();

/** True when every node lies inside the box of the group its name puts it in. */
function nodesInsideGroups(layout: Layout): boolean {
  const boxes = new Map(layout.groups.map((g) => [g.id, g]));
  return layout.nodes.every((n) => {
    const g = groupOf(n.id);
    if (g === undefined) return true;
    const b = boxes.get(g)!;
    return n.x >= b.x && n.y >= b.y && n.x + n.width <= b.x + b.width && n.y + n.height <= b.y + b.height;
  });
}

describe('groups', () => {
  it('puts inception modules, residual blocks and auxiliary heads in boxes, and nothing else', () => {
    expect(groupOf('inception_4a_3x3_reduce')).toBe('inception_4a');
    expect(groupOf('layer3_11_downsample_0')).toBe('layer3_11');
    expect(groupOf('aux2_fc1')).toBe('aux2');
    expect(groupOf('conv1')).toBeUndefined();
    expect(groupOf('pool3')).toBeUndefined();
  });
});

describe('layout', () => {
  it('draws GoogLeNet as 9 inception modules and 2 auxiliary heads with every edge routed', async () => {
    const model = googlenet({ inputShape: [96, 96, 3] });
    const layout = await layoutModel(elk, model);
    expect(layout.groups.map((g) => g.id).sort()).toEqual(
      ['aux1', 'aux2', 'inception_3a', 'inception_3b', 'inception_4a', 'inception_4b', 'inception_4c', 'inception_4d', 'inception_4e', 'inception_5a', 'inception_5b']);
    expect(layout.nodes).toHaveLength(model.nodes.length);
    expect(layout.edges).toHaveLength(model.nodes.reduce((n, node) => n + node.inputs.length, 0));
    expect(nodesInsideGroups(layout)).toBe(true);
  });

  it('draws ResNet-18 as 8 residual blocks, top to bottom', async () => {
    const model = resnet18({ inputShape: [64, 64, 3] });
    const layout = await layoutModel(elk, model);
    expect(layout.groups).toHaveLength(8);
    expect(nodesInsideGroups(layout)).toBe(true);
    const y = new Map(layout.nodes.map((n) => [n.id, n.y]));
    for (const node of model.nodes) for (const i of node.inputs) expect(y.get(i)!).toBeLessThan(y.get(node.name)!);
  });

  it('labels each node with its op and output shape, and leaves LeNet-5 ungrouped', () => {
    const g = elkGraph(lenet5());
    expect(g.children!.map((c) => c.id)).toEqual(lenet5().nodes.map((n) => n.name));
    expect(g.edges).toHaveLength(lenet5().nodes.length - 1);
  });
});
