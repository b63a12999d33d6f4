#!/usr/bin/env node
// Dev-time: imports the files torch-opsets.py wrote (NAME.opsetN.onnx) and compares with torch's
// output, as the markdown table in IMPORT.md. Run after `pnpm build`.
// Usage: node scripts/torch-opsets.mjs DIR [--reference]
//   --reference  also runs core's float64 interpreter (minutes for AlexNet and VGG at 224 x 224)
// onnxruntime and the ort backend are not dependencies of @convzoo/onnx: they are loaded from
// backend-ort's workspace package.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeNpy, maxRelDiff } from '@convzoo/core';
import { referencePredict } from '@convzoo/core/testing';
import { importOnnxFile } from '@convzoo/onnx/node';

const [dir, ...flags] = process.argv.slice(2);
if (!dir) throw new Error('usage: node scripts/torch-opsets.mjs DIR [--reference]');
const fromOrt = createRequire(new URL('../../backend-ort/package.json', import.meta.url));
const load = (name) => import(pathToFileURL(fromOrt.resolve(name)).href);
const { InferenceSession, Tensor } = await load('onnxruntime-node');
const { ort } = await load('@convzoo/backend-ort');
const cpu = ort({ device: 'cpu' });

const fmt = (x) => (x === undefined ? 'n/a' : x.toExponential(1));
console.log('| model | opset | onnxruntime on the torch file | convzoo import on ort-cpu | float64 reference |');
console.log('| --- | --- | --- | --- | --- |');
const files = readdirSync(dir).filter((f) => /\.opset\d+\.onnx$/.test(f));
const key = (f) => [f.replace(/\.opset\d+\.onnx$/, ''), Number(/opset(\d+)/.exec(f)[1])];
files.sort((a, b) => (key(a)[0] === key(b)[0] ? key(a)[1] - key(b)[1] : key(a)[0] < key(b)[0] ? -1 : 1));
for (const file of files) {
  const [name, opset] = key(file);
  const path = join(dir, file);
  const npy = (suffix) => decodeNpy(readFileSync(join(dir, `${name}.${suffix}.npy`)));
  const [input, nchw, expected] = [npy('input'), npy('input_nchw'), npy('output')];
  let direct;
  try {
    const session = await InferenceSession.create(path);
    direct = maxRelDiff((await session.run({ input: new Tensor('float32', nchw.data, nchw.shape) })).output.data, expected.data);
    await session.release();
  } catch (e) {
    direct = `fails: ${String(e.message ?? e).split('\n')[0].split(/(?<=\.) /).pop()}`;
  }
  let viaOrt;
  let viaRef;
  try {
    const model = importOnnxFile(path);
    const compiled = await cpu.compile(model);
    viaOrt = maxRelDiff((await compiled.predict(input))[0].data, expected.data);
    await compiled.dispose();
    if (flags.includes('--reference')) viaRef = maxRelDiff(referencePredict(model, input)[0].data, expected.data);
  } catch (e) {
    viaOrt = `refused: ${String(e.message ?? e).split('\n')[0]}`;
  }
  const cell = (x) => (typeof x === 'number' ? fmt(x) : x ?? 'n/a');
  console.log(`| ${name} | ${opset} | ${cell(direct)} | ${cell(viaOrt)} | ${cell(viaRef)} |`);
}
