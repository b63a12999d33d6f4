#!/usr/bin/env node
// VGG-19 (224x224) predict on ort-cpu with ONNX Runtime's MLAS prepacking and with
// session.disable_prepacking (what compile sets for a model staged from a file), ABBA in one
// process, batch 1 and 8. Prints median / fastest and the ratio; BENCHMARKS.md section 6 quotes it.
// Usage: node bench/vgg-prepack.mjs [--rounds 4]
import { loadavg } from 'node:os';
import { vgg19 } from '@convzoo/arch-vgg';
import { ort } from '@convzoo/backend-ort';
import { abba, ORT_NO_SPIN, randomFloats } from './lib.mjs';

const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 4;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const model = vgg19({ inputShape: [224, 224, 3] });
// No spinning: two sessions share the process, and a spinning one would steal the other's cores.
const compile = (session) => ort({ device: 'cpu', sessionOptions: { extra: { session: { ...ORT_NO_SPIN.extra.session, ...session } } } }).compile(model);
const packed = await compile({ disable_prepacking: '0' });
const unpacked = await compile({ disable_prepacking: '1' });
console.log(`VGG-19 224x224 ort-cpu, ${rounds} ABBA rounds; load ${load()} at the start`);
for (const n of [1, 8]) {
  const x = { shape: [n, 224, 224, 3], data: randomFloats(n * 224 * 224 * 3, 7) };
  const [a] = await packed.predict(x);
  const [b] = await unpacked.predict(x);
  const scale = a.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const diff = a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);
  const [p, u] = await abba([{ name: 'prepacked', run: () => packed.predict(x) }, { name: 'disable_prepacking', run: () => unpacked.predict(x) }], { rounds });
  console.log(
    `batch ${n}: prepacked median ${p.medianMs.toFixed(0)} ms (fastest ${p.fastestMs.toFixed(0)}), disable_prepacking ${u.medianMs.toFixed(0)} ms (${u.fastestMs.toFixed(0)}): ` +
      `${(u.medianMs / p.medianMs).toFixed(3)}x median, ${(u.fastestMs / p.fastestMs).toFixed(3)}x fastest; max diff / max |y| ${(diff / scale).toExponential(1)}; load ${load()}`,
  );
}
await packed.dispose();
await unpacked.dispose();
