/**
 * Every architecture variant, small: the generated training graph's gradients (every trainable
 * parameter and the input) and moved BatchNorm statistics against backend-tfjs's on the same
 * batch and dropout masks, within 1e-4 of each tensor's largest value. GoogLeNet also with its
 * auxiliary heads (weighted 0.3).
 *
 * Deep stacks of training-mode BatchNorm over few cells amplify float32 rounding until any two
 * implementations disagree (tfjs cpu and tfjs wasm differ by 80% on ResNet-152 at 16x16, batch
 * 16), so the models are conditioned as trainers condition them: batches of 4-16, and residual
 * branches damped (the last BatchNorm's gamma scaled down, as zero_init_residual does, but not
 * to zero so that the branch is still checked).
 *
 * In the larger networks some ReLU input or max-pool runner-up lies within float32 rounding of
 * its kink for every batch tried (vgg13_bn: one pool4 window holding 1.0043626 and 1.0043576),
 * where the derivative is undefined and each side takes its own branch. tfjs therefore takes
 * ONNX Runtime's branch at every kink (shared-kinks.ts), and the test checks that each branch
 * the two forward passes took differently was a near-tie: within 1e-4 of its layer's largest
 * value.
 *
 * GoogLeNet-torchvision stacks 57 BatchNorms without a shortcut, and there tfjs-wasm's own
 * rounding stands out: tfjs-cpu and tfjs-wasm differ by 1.1e-4 to 2.1e-4 on its gradients, while
 * ONNX Runtime stays within 7e-5 of tfjs-cpu. That variant is therefore held against tfjs-cpu
 * (plain float32 loops), and at 31x31 at batch 32 (its last blocks are 1x1 maps).
 *
 * The CI run takes one depth per kind of layer stack (VGG-11, ResNet-18 and -50: deeper members
 * repeat the same layers); CONVZOO_FULL=1 takes every depth (a dev-time run of a few minutes).
 */
import { describe, expect, it } from 'vitest';
import { maxRelDiff, type Model } from '@convzoo/core';
import { randomizeNonKernelWeights } from '@convzoo/core/testing';
import { AUX_MIN_INPUT_SIZE, googlenet, GOOGLENET_VARIANTS } from '@convzoo/arch-inception';
import { resnet18 } from '@convzoo/arch-resnet';
import { ARCHITECTURES } from '../../__tests__/architectures.js';
import { makeBatch, ortGradients, tfjsDropoutMasks, tfjsGradients } from './gradients-helpers.js';
import { kinkDisagreements } from './shared-kinks.js';

const FULL = process.env['CONVZOO_FULL'] === '1';

interface Case {
  readonly name: string;
  model(): Model;
  readonly batch: number;
  /** The tfjs backend computing the reference (see the file comment). */
  readonly reference: 'cpu' | 'wasm';
}

/** The family's cases that `pick` takes; `ci` those that also run without CONVZOO_FULL. */
const from = (
  family: keyof typeof ARCHITECTURES, batch: number, reference: Case['reference'], pick: (name: string) => boolean, ci: (name: string) => boolean = () => true,
): Case[] => ARCHITECTURES[family].filter((c) => pick(c.name) && (FULL || ci(c.name))).map((c) => ({ name: c.name, model: c.model, batch, reference }));
const all = () => true;

const CASES: readonly Case[] = [
  ...from('lenet_alexnet', 2, 'wasm', all),
  ...from('vgg', 4, 'wasm', all, (name) => name.startsWith('vgg11')),
  ...from('inception', 8, 'wasm', (name) => name.includes('paper')),
  ...from('inception', 32, 'cpu', (name) => name.includes('torchvision')),
  ...GOOGLENET_VARIANTS.map((variant): Case => ({
    name: `googlenet ${variant} ${AUX_MIN_INPUT_SIZE}x${AUX_MIN_INPUT_SIZE} with aux heads`,
    model: () => googlenet({ variant, inputShape: [AUX_MIN_INPUT_SIZE, AUX_MIN_INPUT_SIZE, 3], numClasses: 10 }),
    ...(variant === 'paper' ? { batch: 4, reference: 'wasm' } : { batch: 8, reference: 'cpu' }),
  })),
  ...from('resnet', 16, 'wasm', all, (name) => name.startsWith('resnet18') || name.startsWith('resnet50')),
  // Large enough for the blocked convolutions (ops/nchwc.ts) on the stem and first stage.
  { name: 'resnet18 torchvision 64x64', model: () => resnet18({ inputShape: [64, 64, 3], numClasses: 10 }), batch: 4, reference: 'wasm' },
];

/** Scales the gamma of each residual branch's last BatchNorm (an Add's first input) down tenfold. */
function dampResidualBranches(model: Model): Model {
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  for (const node of model.nodes) {
    const branch = node.op === 'Add' ? byName.get(node.inputs[0]!) : undefined;
    if (branch?.op === 'BatchNorm') {
      const gamma = model.weight(branch.name, 'gamma').data;
      gamma.forEach((g, i) => (gamma[i] = g / 10));
    }
  }
  return model;
}

/**
 * Biases of layers whose only consumer is a training-mode BatchNorm: the batch mean removes
 * them, so their gradient is zero and both sides hold rounding noise. Maps bias -> kernel.
 */
function cancelledBiases(model: Model): Map<string, string> {
  const consumers = new Map<string, string[]>();
  for (const n of model.nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n.name]);
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  const out = new Map<string, string>();
  for (const n of model.nodes) {
    const uses = consumers.get(n.name) ?? [];
    if ((n.op === 'Conv2D' || n.op === 'Dense') && n.attrs.useBias && uses.length > 0 && uses.every((u) => byName.get(u)!.op === 'BatchNorm')) {
      out.set(`${n.name}/bias`, `${n.name}/kernel`);
    }
  }
  return out;
}

const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('generated gradients of every architecture equal backend-tfjs gradients', () => {
  for (const c of CASES) {
    it(`${c.name}, batch ${c.batch}, against tfjs-${c.reference}`, async () => {
      const model = dampResidualBranches(randomizeNonKernelWeights(c.model(), 2));
      const batch = makeBatch(model, c.batch);
      const got = await ortGradients(model, batch, await tfjsDropoutMasks(model, c.batch), { activations: true });
      const ref = await tfjsGradients(model, batch, c.reference, { branches: got.activations });
      const kinks = kinkDisagreements(model, c.batch, ref.own!, got.activations);
      expect(kinks.widest, `${kinks.count} branches taken differently`).toBeLessThan(1e-4);
      const cancelled = cancelledBiases(model);
      let worst = 0;
      for (const [key, expected] of ref.values) {
        const actual = got.values.get(key)!;
        const kernel = cancelled.get(key);
        if (kernel !== undefined) {
          const scale = maxAbs(ref.values.get(kernel)!);
          expect(Math.max(maxAbs(actual), maxAbs(expected)), `${key} (cancelled by BatchNorm)`).toBeLessThan(1e-4 * scale);
          continue;
        }
        const err = maxRelDiff(actual, expected);
        worst = Math.max(worst, err);
        expect(err, key).toBeLessThan(1e-4);
      }
      expect(got.loss).toBeCloseTo(ref.loss, 4);
      console.log(`${c.name}: worst max|a-b|/max|b| ${worst.toExponential(2)} over ${ref.values.size} tensors; ` +
        `${kinks.count} kinks resolved differently by the forward passes (widest ${kinks.widest.toExponential(1)})`);
    }, 120_000);
  }
});
