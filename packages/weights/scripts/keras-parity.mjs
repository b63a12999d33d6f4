// Dev-time parity check behind PARITY.md's Keras section (needs /usr/bin/python3 with torch and
// h5py; never run in CI): for each model, keras-parity.py writes a Keras Applications .h5 file
// with seeded random weights and randomized BatchNorm statistics plus the logits of Keras's
// network computed in torch; this loads the file into convzoo's model (ResNet: the keras
// variant) and compares the logits on tfjs-wasm and ort-cpu (max|a-b| / max|b|).
//
// usage: node scripts/keras-parity.mjs [model ...]   (after building; default: all five)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { create, decodeNpy, maxRelDiff } from '@convzoo/core';
import '@convzoo/arch-resnet';
import '@convzoo/arch-vgg';
import { tfjs } from '@convzoo/backend-tfjs';
import { ort } from '@convzoo/backend-ort';
import { loadWeights } from '@convzoo/weights';

// VGG at 224: Keras's fc1 takes the 7x7x512 map of a 224 input. ResNet at 224 too (Keras's default).
const MODELS = { resnet50: 224, resnet101: 224, resnet152: 224, vgg16: 224, vgg19: 224 };
const dir = '/tmp/convzoo-keras-parity';
const script = new URL('./keras-parity.py', import.meta.url).pathname;
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(MODELS);
const backends = { 'tfjs-wasm': tfjs({ device: 'wasm' }), 'ort-cpu': ort({ device: 'cpu' }) };
mkdirSync(dir, { recursive: true });
const rows = [];
for (const name of names) {
  const size = MODELS[name];
  execFileSync('/usr/bin/python3', [script, dir, name, String(size)], { stdio: 'inherit', cwd: new URL('.', import.meta.url).pathname });
  const npy = (f) => decodeNpy(readFileSync(`${dir}/${name}.${f}.npy`));
  const input = npy('input');
  const expected = npy('logits');
  const model = create(name, { variant: name.startsWith('resnet') ? 'keras' : undefined, inputShape: [size, size, 3] });
  const { model: loaded } = loadWeights(model, readFileSync(`${dir}/${name}.h5`), { file: `${name}.h5` });
  const row = { name, size };
  for (const [b, backend] of Object.entries(backends)) {
    const compiled = await backend.compile(loaded);
    const [logits] = await compiled.predict(input);
    await compiled.dispose();
    row[b] = maxRelDiff(logits.data, expected.data);
  }
  for (const f of ['h5', 'input.npy', 'logits.npy']) rmSync(`${dir}/${name}.${f}`);
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log('\n| model | input | tfjs-wasm | ort-cpu |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.size}x${r.size} | ${r['tfjs-wasm'].toExponential(2)} | ${r['ort-cpu'].toExponential(2)} |`);
