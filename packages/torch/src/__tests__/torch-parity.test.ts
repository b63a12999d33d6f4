/**
 * Dev time (needs /usr/bin/python3 with torch; skipped with the reason elsewhere): every registry
 * variant's generated module, loaded with the exported torch-named weights, gives convzoo's
 * outputs on ort-cpu within 1e-4 (max|a - b| / max|b|). CI covers LeNet-5 and ResNet-18 through
 * the committed fixture (fixture.test.ts).
 */
import '@convzoo/arch-alexnet';
import { withTransformInput } from '@convzoo/arch-inception';
import '@convzoo/arch-lenet';
import '@convzoo/arch-resnet';
import '@convzoo/arch-vgg';
import { ort } from '@convzoo/backend-ort';
import { create, maxRelDiff, type Model } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { torchMissing, torchPredict } from './harness.js';

const missing = torchMissing();

/** Small inputs where the net allows, 10 classes: the heads' shapes do not change what is checked. */
const CASES: [string, () => Model][] = [
  ...['paper', 'modern', 'article'].map((v): [string, () => Model] => [`lenet5 ${v}`, () => create('lenet5', { variant: v, seed: 1 })]),
  ...['paper', 'torchvision'].map((v): [string, () => Model] => [`alexnet ${v} 95x95`, () => create('alexnet', { variant: v, inputShape: [95, 95, 3], numClasses: 10, seed: 1 })]),
  ...['vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn'].map((n): [string, () => Model] =>
    [`${n} 32x32`, () => create(n, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 })]),
  ...['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'].flatMap((n) => ['paper', 'torchvision'].map((v): [string, () => Model] =>
    [`${n} ${v} 32x32`, () => create(n, { variant: v, inputShape: [32, 32, 3], numClasses: 10, seed: 1 })])),
  ...['paper', 'torchvision'].map((v): [string, () => Model] => [`googlenet ${v} 96x96`, () => create('googlenet', { variant: v, inputShape: [96, 96, 3], numClasses: 10, seed: 1 })]),
  ['googlenet torchvision 96x96 + transform_input', () => withTransformInput(create('googlenet', { variant: 'torchvision', inputShape: [96, 96, 3], numClasses: 10, seed: 1 }))],
];

describe.skipIf(missing !== undefined)(`generated PyTorch module vs convzoo on ort-cpu${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it.each(CASES)('%s: within 1e-4', { timeout: 300_000 }, async (_name, build) => {
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
