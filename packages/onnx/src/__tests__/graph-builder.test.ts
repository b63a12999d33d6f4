import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../graph-builder.js';
import { decodeOnnx } from '../proto/decode.js';
import { DataType } from '../proto/proto.js';

const graphOf = (b: OnnxGraphBuilder) => decodeOnnx(b.bytes('g')).graph;

describe('OnnxGraphBuilder outputs', () => {
  it('has the node that writes a published value write the output name itself, readers following (no Identity copy)', () => {
    const b = new OnnxGraphBuilder();
    b.input('x', DataType.FLOAT, [2]);
    b.reserve('y');
    b.reserve('z');
    const doubled = b.node('Add', ['x', 'x'], 'doubled');
    b.output('y', doubled, DataType.FLOAT, [2]);
    b.output('z', b.node('Mul', [doubled, 'x'], 'product'), DataType.FLOAT, [2]);
    const g = graphOf(b);
    expect(g.nodes.map((n) => [n.opType, n.inputs, n.outputs])).toEqual([['Add', ['x', 'x'], ['y']], ['Mul', ['y', 'x'], ['z']]]);
    // Built twice, the same graph: build works on copies of the nodes.
    expect(graphOf(b).nodes.map((n) => n.outputs)).toEqual([['y'], ['z']]);
  });

  it('keeps the Identity for a graph input and for a value published under a second name', () => {
    const b = new OnnxGraphBuilder();
    b.input('x', DataType.FLOAT, [2]);
    for (const name of ['echo', 'y', 'y_again']) b.reserve(name);
    b.output('echo', 'x', DataType.FLOAT, [2]);
    const v = b.node('Relu', ['x'], 'relu');
    b.output('y', v, DataType.FLOAT, [2]);
    b.output('y_again', v, DataType.FLOAT, [2]);
    expect(graphOf(b).nodes.map((n) => [n.opType, n.inputs, n.outputs])).toEqual([
      ['Identity', ['x'], ['echo']], ['Relu', ['x'], ['y']], ['Identity', ['y'], ['y_again']],
    ]);
  });
});
