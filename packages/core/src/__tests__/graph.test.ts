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
    ['{"format":"convzoo.graph","version":2}', 'g.json: unsupported version 2, expected 1'],
    ['{"format":"convzoo.graph","version":1,"name":"x","inputs":[],"outputs":[],"nodes":{}}', 'g.json: "nodes" must be an array'],
  ])('rejects %s', (text, message) => {
    expect(() => graphFromJson(text, 'g.json')).toThrow(message);
  });

  it('names the file and node for a semantic error', () => {
    const text = graphToJson(mutate(small(), (g: any) => { g.nodes[1].op = 'Conv3D'; }));
    expect(() => graphFromJson(text, 'g.json')).toThrow('g.json: node "conv": unknown op "Conv3D"');
  });
});
