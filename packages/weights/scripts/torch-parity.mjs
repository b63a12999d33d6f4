// Dev-time parity check behind PARITY.md (needs /usr/bin/python3 with torch; never run in CI):
// for each torchvision model, torch-parity.py writes a seeded state dict as .pth and
// .safetensors plus torch's logits; this loads both files into convzoo's model and compares the
// logits on tfjs-wasm and ort-cpu (max|a-b| / max|b|). With --onnx (or --only-onnx), the same
// model exported by torch.onnx.export (BatchNorm folded at one opset, kept at another, 13 to 17
// across the models) goes through loadWeights too. Files go to /tmp, one model at a time.
//
// usage: node scripts/torch-parity.mjs [--onnx | --only-onnx] [model ...]   (after building; default: all 15)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { create, decodeNpy, maxRelDiff } from '@convzoo/core';
import '@convzoo/arch-alexnet';
import '@convzoo/arch-inception';
import '@convzoo/arch-resnet';
import '@convzoo/arch-vgg';
import { tfjs } from '@convzoo/backend-tfjs';
import { ort } from '@convzoo/backend-ort';
import { loadWeights } from '@convzoo/weights';

// Input sizes: VGG and AlexNet at 224, where torchvision's adaptive pool is the identity convzoo leaves out;
// GoogLeNet at 224, where its aux heads read the 4x4 map torchvision's AdaptiveAvgPool(4) makes.
const MODELS = {
  alexnet: 224, googlenet: 224, resnet18: 64, resnet34: 64, resnet50: 64, resnet101: 64, resnet152: 64,
  ...Object.fromEntries([11, 13, 16, 19].flatMap((d) => [[`vgg${d}`, 224], [`vgg${d}_bn`, 224]])),
};
const variant = (name) => (name.startsWith('vgg') ? undefined : 'torchvision');
const dir = '/tmp/convzoo-parity';
const script = new URL('./torch-parity.py', import.meta.url).pathname;
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const names = args.length > 0 ? args : Object.keys(MODELS);
const withOnnx = flags.includes('--onnx') || flags.includes('--only-onnx');
const formats = [...(flags.includes('--only-onnx') ? [] : ['pth', 'safetensors']), ...(withOnnx ? ['folded.onnx', 'kept.onnx'] : [])];
// Opsets 13..17 across the models: BatchNorm folded at one, kept at the mirror one.
const opsets = (name) => [13 + (Object.keys(MODELS).indexOf(name) % 5), 17 - (Object.keys(MODELS).indexOf(name) % 5)];
const backends = { 'tfjs-wasm': tfjs({ device: 'wasm' }), 'ort-cpu': ort({ device: 'cpu' }) };
mkdirSync(dir, { recursive: true });
const rows = [];
for (const name of names) {
  const size = MODELS[name];
  const onnx = withOnnx ? opsets(name).map(String) : [];
  execFileSync('/usr/bin/python3', [script, dir, name, String(size), ...onnx], { stdio: 'inherit' });
  const npy = (f) => decodeNpy(readFileSync(`${dir}/${name}.${f}.npy`));
  const input = npy('input');
  const expected = npy('logits');
  const model = create(name, { variant: variant(name), inputShape: [size, size, 3] });
  const row = { name, size, opsets: onnx.join('/') };
  for (const ext of formats) {
    const { model: loaded } = loadWeights(model, readFileSync(`${dir}/${name}.${ext}`), { file: `${name}.${ext}` });
    for (const [b, backend] of Object.entries(backends)) {
      const compiled = await backend.compile(loaded);
      const [logits] = await compiled.predict(input);
      await compiled.dispose();
      row[`${ext} ${b}`] = maxRelDiff(logits.data, expected.data);
    }
  }
  for (const f of ['pth', 'safetensors', 'folded.onnx', 'kept.onnx', 'input.npy', 'logits.npy']) rmSync(`${dir}/${name}.${f}`, { force: true });
  rows.push(row);
  console.log(JSON.stringify(row));
}
const cols = formats.flatMap((f) => Object.keys(backends).map((b) => `${f} ${b}`));
const opsetCol = withOnnx ? ' opsets (folded/kept) |' : '';
console.log(`| model | input |${opsetCol} ${cols.join(' | ')} |\n| --- | --- |${withOnnx ? ' --- |' : ''}${' --- |'.repeat(cols.length)}`);
for (const r of rows) console.log(`| ${r.name} | ${r.size}x${r.size} |${withOnnx ? ` ${r.opsets} |` : ''} ${cols.map((c) => r[c].toExponential(2)).join(' | ')} |`);
