#!/usr/bin/env node
// Dev-time: exports the op cases (and, once built, every architecture variant) to DIR as .onnx,
// with BatchNorm folded and kept, for scripts/check-onnx.py. Run after `pnpm build`.
// Usage: node scripts/export-samples.mjs DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OP_CASES, opCaseModel } from '@convzoo/core/testing';
import { exportOnnx } from '../dist/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/export-samples.mjs DIR');
mkdirSync(dir, { recursive: true });
const models = OP_CASES.map((c) => opCaseModel(c));
let n = 0;
for (const model of models) {
  for (const [suffix, opts] of [['folded', {}], ['bn', { foldBatchNorm: false }], ['nhwc', { inputLayout: 'nhwc', outputLayout: 'nhwc' }]]) {
    writeFileSync(join(dir, `${model.name}.${suffix}.onnx`), exportOnnx(model, opts));
    n++;
  }
}
console.log(`wrote ${n} files to ${dir}`);
