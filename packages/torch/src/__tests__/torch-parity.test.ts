/**
 * Dev time (needs /usr/bin/python3 with torch; skipped with the reason elsewhere): for a variant
 * of each family (every registry variant with CONVZOO_TORCH_ALL=1), the generated module loaded
 * with the exported torch-named weights gives convzoo's outputs on ort-cpu within 1e-4
 * (max|a - b| / max|b|). CI covers LeNet-5 and ResNet-18 through
 * the committed fixture (fixture.test.ts).
 */
import { ort } from '@convzoo/backend-ort';
import { GraphBuilder, maxRelDiff, Model } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { VARIANTS, torchMissing, torchPredict } from '../../scripts/harness.mjs';

const missing = torchMissing();
if (missing !== undefined) console.warn(`torch parity skipped: ${missing}`);
/** One variant per family by default; CONVZOO_TORCH_ALL=1 runs every registry variant (the PARITY.md table). */
const ONE_PER_FAMILY = ['lenet5 paper', 'alexnet torchvision 95x95', 'vgg11_bn 32x32', 'resnet18 torchvision 32x32', 'googlenet torchvision 96x96 + transform_input'];
const cases = Object.entries(VARIANTS).filter(([name]) => process.env.CONVZOO_TORCH_ALL === '1' || ONE_PER_FAMILY.includes(name));

describe.skipIf(missing !== undefined)(`generated PyTorch module vs convzoo on ort-cpu${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it.each(cases)('%s: within 1e-4', { timeout: 300_000 }, async (_name, build) => {
    const model = build();
    const input = randomInput([2, ...model.inputShape], 7);
    const expected = torchPredict(model, input);
    const compiled = await ort({ device: 'cpu' }).compile(model);
    const [ours] = await compiled.predict(input);
    await compiled.dispose();
    expect(ours!.shape).toEqual(expected.shape);
    const diff = maxRelDiff(ours!.data, expected.data);
    console.log(`${_name}: max|a-b|/max|b| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
  });
});

/** relu6, hardtanh, one-sided clamps, leaky_relu and a dilated max pool after a conv, against core's float64 reference. */
function newForms(): Model {
  const g = new GraphBuilder('new_forms');
  const x = g.conv2d(g.input([9, 9, 3]), { filters: 4, kernelSize: 3, padding: 1 });
  const y = g.add([g.relu6(x), g.activation(x, { fn: 'clip', min: -0.5, max: 0.5 }),
    g.activation(x, { fn: 'clip', max: 0.2 }), g.activation(x, { fn: 'clip', min: -0.1 }), g.leakyRelu(x, 0.2)]);
  // a Dense head: the module flattens NCHW, with the Dense kernel's rows permuted to match
  const pooled = g.maxPool2d(y, { poolSize: 3, strides: 2, dilation: 2, padding: 1, ceilMode: true });
  return Model.init(g.build([g.dense(g.flatten(pooled), { units: 8 })]), 3);
}

describe.skipIf(missing !== undefined)(`clip, leaky_relu and dilated max pooling in the generated module${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('match core\'s float64 reference within 1e-5', { timeout: 60_000 }, () => {
    const model = newForms();
    const input = randomInput([2, ...model.inputShape], 5);
    const expected = torchPredict(model, input);
    const [ref] = referencePredict(model, input);
    expect(expected.shape).toEqual(ref!.shape);
    const diff = maxRelDiff(expected.data, ref!.data);
    console.log(`new forms: max|torch - reference|/max|reference| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
  });
});
