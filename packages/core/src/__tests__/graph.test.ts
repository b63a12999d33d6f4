import { describe, expect, it } from 'vitest';
import { GraphBuilder, GraphError, analyzeGraph, graphFromJson, graphToJson, type Graph } from '../index.js';

function small(): Graph {
  const g = new GraphBuilder('small');
  const x = g.input([8, 8, 3]);
  const c = g.conv2d(x, { filters: 4, kernelSize: 3, padding: 'same', name: 'conv', activation: 'relu' });
  const p = g.maxPool2d(c, { poolSize: 2, ceilMode: true, name: 'pool' });
  return g.build([g.dense(g.flatten(p, 'flat'), { units: 2, name: 'fc' })]);
}

const mutate = (graph: Graph, f: (g: { nodes: Record<string, unknown>[]; inputs: string[]; outputs: string[] }) => void): Graph => {
  const copy = JSON.parse(JSON.stringify(graph));
  f(copy);
  return copy;
};

describe('graph validation', () => {
  it.each([
    ['unknown op', (g: any) => { g.nodes[1].op = 'Conv3D'; }, 'node "conv": unknown op "Conv3D"; expected one of Input, Conv2D'],
    ['missing input', (g: any) => { g.nodes[2].inputs = ['nope']; }, 'node "conv_relu": missing input "nope" (no node has that name)'],
    ['cycle', (g: any) => { g.nodes[1].inputs = ['pool']; }, 'cycle: this node depends on its own output'],
    ['duplicate name', (g: any) => { g.nodes[2].name = 'conv'; g.nodes[3].inputs = ['conv']; }, 'node "conv": duplicate node name'],
    ['bad attribute', (g: any) => { g.nodes[1].attrs.kernelSize = [3]; }, 'node "conv": (Conv2D) kernelSize must be a pair [h, w], got [3]'],
    ['impossible shape', (g: any) => { g.nodes[1].attrs.kernelSize = [9, 9]; g.nodes[1].attrs.padding = 'valid'; }, 'node "conv": (Conv2D) kernel 9x9 does not fit input 8x8x3'],
    ['wrong arity', (g: any) => { g.nodes[2].inputs = ['conv', 'input']; }, 'node "conv_relu": Activation takes 1 input(s), got 2'],
    ['unknown output', (g: any) => { g.outputs = ['ghost']; }, 'graph output "ghost" is not a node'],
  ])('%s', (_name, f, message) => {
    const bad = mutate(small(), f);
    expect(() => analyzeGraph(bad)).toThrow(GraphError);
    expect(() => analyzeGraph(bad)).toThrow(message);
  });

  it('an output listed twice is refused, naming it', () => {
    const g = new GraphBuilder('twice');
    const y = g.relu(g.input([3]), 'y');
    expect(() => g.build([y, y])).toThrow('graph output "y" is listed twice (outputs must be unique)');
  });

  it('a cycle error names a node on the cycle', () => {
    const bad = mutate(small(), (g: any) => { g.nodes[1].inputs = ['pool']; });
    try {
      analyzeGraph(bad);
      expect.unreachable();
    } catch (e) {
      expect(['conv', 'conv_relu', 'pool']).toContain((e as GraphError).node);
    }
  });
});

describe('graph JSON', () => {
  it('round-trips exactly', () => {
    const graph = small();
    const text = graphToJson(graph);
    expect(JSON.parse(text)).toMatchObject({ format: 'convzoo.graph', version: 1, name: 'small' });
    const back = graphFromJson(text);
    expect(back).toEqual(JSON.parse(JSON.stringify(graph)));
    expect(graphToJson(back)).toBe(text);
  });

  it.each([
    ['{', 'g.json: not valid JSON'],
    ['[]', 'g.json: expected a JSON object'],
    ['{"format":"other","version":1}', 'g.json: format is "other", expected "convzoo.graph"'],
    ['{"format":"convzoo.graph","version":3}', 'g.json: unsupported version 3, expected 1 to 2'],
    ['{"format":"convzoo.graph","version":1,"name":"x","inputs":[],"outputs":[],"nodes":{}}', 'g.json: "nodes" must be an array'],
  ])('rejects %s', (text, message) => {
    expect(() => graphFromJson(text, 'g.json')).toThrow(message);
  });

  it('writes version 2 only for a graph with pool dilation, leaky_relu or clip; both versions load', () => {
    const g = new GraphBuilder('v2');
    const x = g.input([8, 8, 2]);
    const plain = graphToJson(g.build([g.maxPool2d(g.relu(x), { poolSize: 2, dilation: 1 })]));
    expect(JSON.parse(plain).version).toBe(1);
    expect(plain).not.toContain('dilation');
    for (const y of [g.maxPool2d(x, { poolSize: 2, dilation: 2 }), g.relu6(x), g.leakyRelu(x, 0.2)]) {
      const text = graphToJson(g.build([y]));
      expect(JSON.parse(text).version).toBe(2);
      expect(graphToJson(graphFromJson(text))).toBe(text);
    }
    expect(graphFromJson(plain).nodes.map((n) => n.op)).toEqual(['Input', 'Activation', 'MaxPool2D']);
  });

  it('names the file and node for a semantic error', () => {
    const text = graphToJson(mutate(small(), (g: any) => { g.nodes[1].op = 'Conv3D'; }));
    expect(() => graphFromJson(text, 'g.json')).toThrow('g.json: node "conv": unknown op "Conv3D"');
  });
});
