#!/usr/bin/env node
// Dev-time: imports the torchvision exports written by torch-fixtures.py and compares outputs
// with torch's, as a markdown table for INTEROP.md. Run after `pnpm build`.
// Usage: node scripts/torch-interop.mjs DIR [--reference]
//   --reference  also runs core's float64 interpreter (minutes for VGG at 224x224)
// The imported models are re-exported to DIR/convzoo/ for scripts/check-onnx.py.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, maxRelDiff } from '@convzoo/core';
import { referencePredict } from '@convzoo/core/testing';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ort } from '@convzoo/backend-ort';
import { exportOnnxFile, importOnnxFile } from '@convzoo/onnx/node';

const [dir, ...flags] = process.argv.slice(2);
if (!dir) throw new Error('usage: node scripts/torch-interop.mjs DIR [--reference]');
mkdirSync(join(dir, 'convzoo'), { recursive: true });

function toNhwc(t) {
  const [n, c, h, w] = t.shape;
  const data = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) data[(b * h * w + p) * c + ch] = t.data[(b * c + ch) * h * w + p];
  return { shape: [n, h, w, c], data };
}

let tfjs;
try {
  const mod = await import('@convzoo/backend-tfjs');
  if (typeof mod.tfjs === 'function') tfjs = mod.tfjs({ device: 'wasm' });
} catch {
  // backend-tfjs not built: the column says so
}

const fmt = (x) => (x === undefined ? 'n/a' : x.toExponential(1));
console.log('| model | convzoo ops after import | ort on the torch file | convzoo import on ort-cpu | on tfjs-wasm | float64 reference |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort()) {
  const name = file.replace(/\.onnx$/, '');
  const path = join(dir, file);
  const input = decodeNpy(readFileSync(join(dir, `${name}.input.npy`)));
  const expected = decodeNpy(readFileSync(join(dir, `${name}.output.npy`)));
  const session = await InferenceSession.create(path);
  const direct = (await session.run({ input: new Tensor('float32', input.data, input.shape) })).output.data;
  await session.release();
  const model = importOnnxFile(path);
  const nhwc = toNhwc(input);
  const compiled = await ort({ device: 'cpu' }).compile(model);
  const [viaOrt] = await compiled.predict(nhwc);
  await compiled.dispose();
  let viaTfjs;
  if (tfjs) {
    const c = await tfjs.compile(model);
    viaTfjs = (await c.predict(nhwc))[0].data;
    await c.dispose();
  }
  const viaRef = flags.includes('--reference') ? referencePredict(model, nhwc)[0].data : undefined;
  exportOnnxFile(model, join(dir, 'convzoo', file));
  const ops = [...new Set(model.nodes.map((n) => n.op))].join(', ');
  const rel = (a) => (a === undefined ? undefined : maxRelDiff(a, expected.data));
  console.log(`| ${name} | ${ops} | ${fmt(rel(direct))} | ${fmt(rel(viaOrt.data))} | ${fmt(rel(viaTfjs))} | ${fmt(rel(viaRef))} |`);
}
