// The generated module written out and run by Debian's torch: shared by the tests and
// make-fixtures.mjs (plain JS so that both can import it; types in harness.d.mts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@convzoo/arch-alexnet';
import { withTransformInput } from '@convzoo/arch-inception';
import '@convzoo/arch-lenet';
import '@convzoo/arch-resnet';
import '@convzoo/arch-vgg';
import { create, decodeNpy, encodeNpy, encodeSafetensors } from '@convzoo/core';
import { torchModule } from '@convzoo/torch';
import { torchStateDict } from '@convzoo/weights';

/** Debian's python3-torch by default; CONVZOO_TORCH_PYTHON names another interpreter with torch and numpy. */
export const PYTHON = process.env.CONVZOO_TORCH_PYTHON ?? '/usr/bin/python3';
export const RUNNER = new URL('./run-module.py', import.meta.url).pathname;

/** The models of the committed fixtures (src/__tests__/fixtures), rebuilt by the tests. */
export const FIXTURE_MODELS = {
  lenet5: () => create('lenet5', { seed: 1 }),
  resnet18: () => create('resnet18', { variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 10, seed: 1 }),
};
/** Every registry variant at a small input where the net allows, 10 classes (the head's size changes nothing checked). */
export const VARIANTS = {
  ...Object.fromEntries(['paper', 'modern', 'article'].map((v) => [`lenet5 ${v}`, () => create('lenet5', { variant: v, seed: 1 })])),
  ...Object.fromEntries(['paper', 'torchvision'].map((v) => [`alexnet ${v} 95x95`, () => create('alexnet', { variant: v, inputShape: [95, 95, 3], numClasses: 10, seed: 1 })])),
  ...Object.fromEntries([11, 13, 16, 19].flatMap((d) => [`vgg${d}`, `vgg${d}_bn`]).map((n) => [`${n} 32x32`, () => create(n, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 })])),
  ...Object.fromEntries([18, 34, 50, 101, 152].flatMap((d) => ['paper', 'torchvision'].map((v) =>
    [`resnet${d} ${v} 32x32`, () => create(`resnet${d}`, { variant: v, inputShape: [32, 32, 3], numClasses: 10, seed: 1 })]))),
  ...Object.fromEntries(['paper', 'torchvision'].map((v) => [`googlenet ${v} 96x96`, () => create('googlenet', { variant: v, inputShape: [96, 96, 3], numClasses: 10, seed: 1 })])),
  'googlenet torchvision 96x96 + transform_input': () =>
    withTransformInput(create('googlenet', { variant: 'torchvision', inputShape: [96, 96, 3], numClasses: 10, seed: 1 })),
};
/** The fixtures' NHWC input: randomInput([2, ...inputShape], INPUT_SEED). */
export const INPUT_SEED = 7;

export function torchMissing() {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  return r.status === 0 ? undefined : `${PYTHON} cannot import torch: ${r.stderr.trim().split('\n').pop()}`;
}

export function torchPredict(model, input) {
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-torch-'));
  try {
    writeFileSync(join(dir, 'model.py'), torchModule(model).source);
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(torchStateDict(model)));
    writeFileSync(join(dir, 'input.npy'), encodeNpy(input));
    execFileSync(PYTHON, [RUNNER, dir, join(dir, 'model.safetensors'), join(dir, 'input.npy'), join(dir, 'output.npy')], { stdio: ['ignore', 'ignore', 'inherit'] });
    return decodeNpy(readFileSync(join(dir, 'output.npy')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
