/**
 * Forms the step graph takes because ONNX Runtime's CPU kernels run them faster (measured in
 * bench/ort-train); their gradients are checked in ops-gradients and architecture-gradients.
 */
import { describe, expect, it } from 'vitest';
import { lenet5 } from '@convzoo/arch-lenet';
import { resnet18 } from '@convzoo/arch-resnet';
import type { Model, OptimizerOptions } from '@convzoo/core';
import { decodeOnnx } from '@convzoo/onnx';
import { buildStepGraph } from '@convzoo/onnx/train';

const stepGraph = (model: Model, optimizer: OptimizerOptions) => decodeOnnx(buildStepGraph(model, { mode: 'train', optimizer, auxLossWeight: 0 }).bytes).graph;

/** The dims of each one-value initializer that `nodes` read. */
function constantDims(graph: ReturnType<typeof stepGraph>, nodes: readonly { readonly inputs: readonly string[] }[]): (readonly number[])[] {
  return nodes.flatMap((n) => n.inputs.map((i) => graph.initializers.get(i)).filter((t) => t !== undefined && t.dims.reduce((a, b) => a * b, 1) === 1).map((t) => t!.dims));
}

describe('step graph forms ONNX Runtime runs fast', () => {
  // A rank-0 scalar broadcast over [N, C, 1, 1] runs one element per call (30x slower).
  it('gives the constants that meet LeNet-5 C5\'s one-cell maps ([N, 120, 1, 1]) rank 4', () => {
    const graph = stepGraph(lenet5({ variant: 'paper' }), { name: 'adam' });
    const c5 = graph.nodes.filter((n) => n.name.startsWith('c5_scaled_tanh') && n.opType !== 'Tanh');
    expect(c5.map((n) => n.opType).sort()).toEqual(['Mul', 'Mul', 'Mul', 'Mul', 'Mul', 'Sub']);
    const dims = constantDims(graph, c5);
    expect(dims).toHaveLength(4);
    for (const d of dims) expect(d).toEqual([1, 1, 1, 1]);
  });

  it('gives the optimizer constants and shared scalars each parameter\'s rank (ResNet-18\'s 1x1 downsample kernels)', () => {
    const graph = stepGraph(resnet18({ inputShape: [32, 32, 3], numClasses: 10 }), { name: 'sgd', momentum: 0.9 });
    const key = 'layer2_0_downsample_0/kernel';
    expect(graph.inputs.find((i) => i.name === key)?.dims).toEqual([128, 64, 1, 1]);
    const update = graph.nodes.filter((n) => n.name.startsWith(`update/${key}`));
    expect(constantDims(graph, update)).toEqual([[1, 1, 1, 1]]);
    const step = update.find((n) => n.name === `update/${key}/step`)!;
    expect(step.inputs).toContain('optimizer/neg_lr/rank4');
    const bias = graph.nodes.filter((n) => n.name.startsWith('update/fc/bias'));
    expect(constantDims(graph, bias)).toEqual([[1]]);
  });

  it('moves the batch last for im2col as 2-D transposes', () => {
    const graph = stepGraph(lenet5({ variant: 'paper' }), { name: 'adam' });
    const moves = graph.nodes.filter((n) => /\/(x|dy)_chwn$/.test(n.name));
    expect(moves.map((n) => n.name).sort()).toEqual(['c1/dy_chwn', 'c1/x_chwn', 'c3/dy_chwn', 'c3/x_chwn']);
    for (const n of moves) expect([n.opType, n.attrs.get('perm')]).toEqual(['Transpose', [1, 0]]);
  });
});
