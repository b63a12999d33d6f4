#!/usr/bin/env node
// Dev-time: exports every op case and every registered architecture variant (at its card's
// smallest input, at least 32x32, 10 classes) to DIR as .onnx, three ways each (BatchNorm
// folded, kept, NHWC edges), for scripts/check-onnx.py. Run after `pnpm build`.
// Usage: node scripts/export-samples.mjs DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '@convzoo/core';
import { OP_CASES, opCaseModel } from '@convzoo/core/testing';
import '@convzoo/arch-lenet';
import '@convzoo/arch-alexnet';
import '@convzoo/arch-vgg';
import '@convzoo/arch-inception';
import '@convzoo/arch-resnet';
import { exportOnnxFile } from '@convzoo/onnx/node';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/export-samples.mjs DIR');
mkdirSync(dir, { recursive: true });
const models = OP_CASES.map((c) => [c.name.replace(/[^A-Za-z0-9]+/g, '_'), () => opCaseModel(c)]);
for (const entry of registry.list()) {
  for (const variant of entry.variants) {
    const card = entry.card(variant);
    const size = Math.max(card.minInputSize, 32);
    models.push([`${entry.name}_${variant}`, () => entry.create({ variant, numClasses: 10, inputShape: [size, size, card.inputShape[2]] })]);
  }
}
let n = 0;
for (const [name, make] of models) {
  const model = make();
  for (const [suffix, opts] of [['folded', {}], ['bn', { foldBatchNorm: false }], ['nhwc', { inputLayout: 'nhwc', outputLayout: 'nhwc' }]]) {
    exportOnnxFile(model, join(dir, `${name}.${suffix}.onnx`), opts);
    n++;
  }
}
console.log(`wrote ${n} files to ${dir}`);
