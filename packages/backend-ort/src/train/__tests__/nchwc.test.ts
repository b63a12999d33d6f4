/**
 * The blocked convolutions (ONNX Runtime's com.microsoft.nchwc kernels) that 'cpu' training
 * graphs take: the probe reads the channel block MLAS uses on this CPU, and the step graph puts
 * the blocked form where it pays (maps over 64 cells, whole channel blocks) and nowhere else.
 * Their gradients are checked beside every other form in ops-gradients and
 * architecture-gradients.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resnet18 } from '@convzoo/arch-resnet';
import { decodeOnnx } from '@convzoo/onnx';
import { buildStepGraph } from '@convzoo/onnx/train';
import { ortNchwcBlock } from '../../node.js';

/** MLAS blocks by its SIMD width: 16 floats with AVX-512, 8 with AVX2. */
function mlasBlock(): number | undefined {
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  return /\bavx512f\b/.test(flags) ? 16 : /\bavx2\b/.test(flags) ? 8 : undefined;
}

const NCHWC = 'com.microsoft.nchwc';

describe('blocked convolutions in training graphs', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')('the probe reads the block MLAS uses on this CPU', async () => {
    expect(await ortNchwcBlock()).toBe(mlasBlock());
  });

  it('ResNet-18 at 64x64 convolves blocked on its 32x32 and 16x16 maps only, forward and input gradients', () => {
    const model = resnet18({ inputShape: [64, 64, 3], numClasses: 10 });
    const train = (nchwcBlock?: number) => decodeOnnx(buildStepGraph(model, {
      mode: 'train', optimizer: { name: 'sgd', momentum: 0.9 }, auxLossWeight: 0, ...(nchwcBlock !== undefined ? { nchwcBlock } : {}),
    }).bytes);
    const blocked = train(16);
    expect(blocked.opsets.get(NCHWC)).toBe(1);
    const convs = blocked.graph.nodes.filter((n) => n.domain === NCHWC && n.opType === 'Conv').map((n) => n.name).sort();
    const layer1 = ['layer1_0_conv1', 'layer1_0_conv2', 'layer1_1_conv1', 'layer1_1_conv2'];
    // The stem reads the RGB image as NCHW; its input gradient is never needed.
    expect(convs).toEqual(['conv1/nchwc', ...layer1.flatMap((c) => [`${c}/dx/nchwc`, `${c}/nchwc`])].sort());
    const reorders = blocked.graph.nodes.filter((n) => n.opType === 'ReorderInput').length;
    expect(reorders).toBe(8);

    const plain = train();
    expect(plain.opsets.has(NCHWC)).toBe(false);
    expect(plain.graph.nodes.filter((n) => n.domain !== '')).toEqual([]);
  });
});
