import { GraphBuilder, Model } from '@convzoo/core';
import { OP_CASES, opCaseModel } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { exportOnnx, IR_VERSION, OPSET } from '../index.js';
import { decodeOnnx, type OnnxNode } from '../proto/decode.js';

/** ai.onnx operators (opset 17) the exporter may write; anything else fails the test. */
const STANDARD_OPS = new Set([
  'Conv', 'Gemm', 'Dropout', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'BatchNormalization', 'LRN', 'Relu', 'Tanh',
  'Sigmoid', 'Softmax', 'Mul', 'Add', 'Sum', 'Div', 'Pow', 'Concat', 'Pad', 'Transpose', 'Gather', 'Identity',
  'Clip', 'LeakyRelu',
]);

const decode = (bytes: Uint8Array) => decodeOnnx(bytes).graph;
const ints = (n: OnnxNode, attr: string) => n.attrs.get(attr) as readonly number[];

function smallCnn(): Model {
  const g = new GraphBuilder('small_cnn');
  let x = g.conv2d(g.input([12, 10, 3]), { filters: 4, kernelSize: 3, padding: 'same', useBias: false, name: 'conv1' });
  x = g.relu(g.batchNorm(x, { name: 'bn1' }));
  x = g.maxPool2d(x, { poolSize: 3, strides: 2, ceilMode: true, name: 'pool1' });
  const logits = g.dense(g.flatten(x), { units: 5, name: 'fc' });
  return Model.init(g.build([g.activation(logits, 'softmax', 'predictions')]), 0);
}

describe('exported ONNX structure', () => {
  it('is IR version 8, opset 17, one named NCHW input with a dynamic batch, one named output', () => {
    const m = decodeOnnx(exportOnnx(smallCnn()));
    expect(m.irVersion).toBe(IR_VERSION);
    expect(IR_VERSION).toBe(8);
    expect([...m.opsets]).toEqual([['', OPSET]]);
    expect(OPSET).toBe(17);
    expect(m.producer).toBe('convzoo');
    expect(m.graph.inputs).toEqual([{ name: 'input', elemType: 1, dims: ['N', 3, 12, 10] }]);
    expect(m.graph.outputs).toEqual([{ name: 'predictions', elemType: 1, dims: ['N', 5] }]);
  });

  it('inputLayout nhwc declares [N, H, W, C] and transposes once', () => {
    const g = decode(exportOnnx(smallCnn(), { inputLayout: 'nhwc' }));
    expect(g.inputs[0]!.dims).toEqual(['N', 12, 10, 3]);
    const t = g.nodes.filter((n) => n.opType === 'Transpose');
    expect(t.map((n) => [n.inputs[0], ints(n, 'perm')])).toEqual([['input', [0, 3, 1, 2]]]);
  });

  // ONNX Runtime broadcasts a rank-0 factor over an [N, C, 1, 1] map one element per call.
  it('writes the scaled tanh factors at the rank of the value: [1, 1, 1, 1] on maps, [1, 1] on vectors', () => {
    const g = new GraphBuilder('one_cell');
    const map = g.activation(g.conv2d(g.input([5, 5, 2]), { filters: 3, kernelSize: 5, name: 'c5' }), 'scaled_tanh', 'c5_tanh');
    const vec = g.activation(g.dense(g.flatten(map), { units: 4, name: 'f6' }), 'scaled_tanh', 'f6_tanh');
    const graph = decode(exportOnnx(Model.init(g.build([vec]), 0)));
    const factors = graph.nodes.filter((n) => n.opType === 'Mul').map((n) => [n.name, graph.initializers.get(n.inputs[1]!)!.dims]);
    expect(factors).toEqual([['c5_tanh/scale_in', [1, 1, 1, 1]], ['c5_tanh', [1, 1, 1, 1]], ['f6_tanh/scale_in', [1, 1]], ['f6_tanh', [1, 1]]]);
  });

  it('folds BatchNorm by default and keeps it on request', () => {
    const ops = (fold: boolean) => decode(exportOnnx(smallCnn(), { foldBatchNorm: fold })).nodes.map((n) => n.opType);
    expect(ops(true)).toEqual(['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax']);
    expect(ops(false)).toEqual(['Conv', 'BatchNormalization', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax']);
  });

  it('writes conv kernels as OIHW and permutes dense rows after an NCHW flatten', () => {
    const model = smallCnn();
    const init = decode(exportOnnx(model, { foldBatchNorm: false })).initializers;
    const w = init.get('conv1/kernel')!;
    expect(w.dims).toEqual([4, 3, 3, 3]);
    const hwio = model.weight('conv1', 'kernel').data;
    // OIHW [o=2, i=1, y=0, x=2] is HWIO [y=0, x=2, i=1, o=2]
    expect(w.floats()[((2 * 3 + 1) * 3 + 0) * 3 + 2]).toBe(hwio[((0 * 3 + 2) * 3 + 1) * 4 + 2]);
    // pool output 6x5x4 (ceil: 12 -> 6, 10 -> 5); ONNX row (c=3, h=1, w=2) = 3*30 + 1*5 + 2 = 97 reads
    // convzoo row (h=1, w=2, c=3) = (1*5 + 2)*4 + 3 = 31
    const fc = model.weight('fc', 'kernel').data;
    expect(init.get('fc/kernel')!.dims).toEqual([120, 5]);
    expect(Array.from(init.get('fc/kernel')!.floats().subarray(97 * 5, 98 * 5))).toEqual(Array.from(fc.subarray(31 * 5, 32 * 5)));
  });

  it('writes Clip bounds as inputs, LeakyRelu alpha, pool dilations; a dilated AveragePool raises the opset to 19', () => {
    const g = new GraphBuilder('new_forms');
    const x = g.input([6, 6, 2]);
    const clipped = g.add([g.relu6(x, 'relu6'), g.activation(x, { fn: 'clip', max: 0.5 }, 'upper'), g.leakyRelu(x, 0.2, 'leaky')]);
    const maxOnly = decodeOnnx(exportOnnx(Model.init(g.build([g.maxPool2d(clipped, { poolSize: 2, dilation: 2, name: 'mp' })]), 0)));
    expect([...maxOnly.opsets]).toEqual([['', 17]]);
    expect(maxOnly.irVersion).toBe(8);
    const byName = new Map(maxOnly.graph.nodes.map((n) => [n.name, n]));
    const consts = new Map([...maxOnly.graph.initializers].map(([name, t]) => [name, Array.from(t.floats())]));
    expect(byName.get('relu6')!.inputs.slice(1).map((i) => consts.get(i))).toEqual([[0], [6]]);
    expect(byName.get('upper')!.inputs[1]).toBe('');
    expect(consts.get(byName.get('upper')!.inputs[2]!)).toEqual([0.5]);
    expect(byName.get('leaky')!.attrs.get('alpha')).toBeCloseTo(0.2, 6);
    expect(ints(byName.get('mp')!, 'dilations')).toEqual([2, 2]);
    const avg = decodeOnnx(exportOnnx(Model.init(g.build([g.avgPool2d(x, { poolSize: 2, dilation: [2, 1], name: 'ap' })]), 0)));
    expect([...avg.opsets]).toEqual([['', 19]]);
    expect(avg.irVersion).toBe(9);
    expect(ints(avg.graph.nodes.find((n) => n.name === 'ap')!, 'dilations')).toEqual([2, 1]);
  });

  it('uses explicit pads, never auto_pad or ceil_mode, and only standard operators (every op case)', () => {
    const models = [smallCnn(), ...OP_CASES.map(opCaseModel)];
    for (const model of models) {
      const g = decode(exportOnnx(model));
      for (const n of g.nodes) {
        expect(n.domain, `${model.name}: ${n.name}`).toBe('');
        expect(STANDARD_OPS.has(n.opType), `${model.name}: ${n.opType}`).toBe(true);
        expect(n.attrs.has('auto_pad')).toBe(false);
        expect(n.attrs.has('ceil_mode')).toBe(false);
        if (['Conv', 'MaxPool', 'AveragePool'].includes(n.opType)) expect(n.attrs.has('pads'), `${model.name}: ${n.name}`).toBe(true);
      }
      expect(new Set(g.nodes.map((n) => n.name)).size).toBe(g.nodes.length);
      expect(g.outputs).toHaveLength(1);
    }
  });

  it('pools in ceil mode become floor mode with the overhang as trailing pads', () => {
    const pool = decode(exportOnnx(smallCnn())).nodes.find((n) => n.opType === 'MaxPool')!;
    // 12 rows, 3/2, ceil: 6 windows need 13 rows -> 1 extra bottom; 10 cols: 5 windows need 11 -> 1 extra right
    expect(ints(pool, 'pads')).toEqual([0, 0, 1, 1]);
    expect(ints(pool, 'kernel_shape')).toEqual([3, 3]);
  });

  it('exports only the main head: training-only outputs are left out', () => {
    const g = new GraphBuilder('aux');
    const x = g.input([4]);
    const main = g.dense(x, { units: 2, name: 'main' });
    const aux = g.dense(x, { units: 3, name: 'aux' });
    const m = decode(exportOnnx(Model.init(g.build([main], [aux]))));
    expect(m.outputs.map((o) => o.name)).toEqual(['main']);
    expect(m.nodes.map((n) => n.name)).toEqual(['main']);
  });
});
