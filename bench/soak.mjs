/**
 * Soak: on each Node backend (tfjs-cpu, tfjs-wasm, ort-cpu), 10,000 LeNet-5 predicts (batch 1)
 * and a 20-epoch training run on small random data, with RSS (and tfjs' live tensor count) at
 * intervals. A leak shows as a count or an RSS that keeps climbing; after the warm-up both
 * should stay flat. Prints a table per backend and a verdict; exits 1 if any is not flat.
 *
 *   node --expose-gc bench/soak.mjs [--predicts N] [--epochs E] [--samples S]
 *
 * With --expose-gc each sample is taken after a full GC, so garbage not yet collected (outputs of
 * earlier predicts) does not pass for a leak; without it RSS swings by tens of MB.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lenet5 } from '@convzoo/arch-lenet';
import { tfjs } from '@convzoo/backend-tfjs';
import { ort } from '@convzoo/backend-ort';
import { rng } from '@convzoo/core';

const { values } = parseArgs({ options: { predicts: { type: 'string' }, epochs: { type: 'string' }, samples: { type: 'string' } } });
const PREDICTS = Number(values.predicts ?? 10_000);
const EPOCHS = Number(values.epochs ?? 20);
const SAMPLES = Number(values.samples ?? 128);
/**
 * Flat means: no live tensor gained over the whole run, and RSS grew by at most this much over
 * its second half (the first half includes allocator and JIT warm-up plateaus).
 */
const RSS_SLACK_MB = 8;

// tfjs' engine as backend-tfjs loads it (the same instance), for its live tensor count.
const tf = createRequire(fileURLToPath(import.meta.resolve('@convzoo/backend-tfjs')))('@tensorflow/tfjs-core');

const BACKENDS = [
  { name: 'tfjs-cpu', predictor: () => tfjs({ device: 'cpu' }), trainer: () => tfjs({ device: 'cpu' }), tensors: () => tf.memory().numTensors },
  { name: 'tfjs-wasm', predictor: () => tfjs({ device: 'wasm' }), trainer: () => tfjs({ device: 'wasm' }), tensors: () => tf.memory().numTensors },
  // ONNX Runtime keeps tensors in native memory with no counter; RSS is the measure there.
  { name: 'ort-cpu', predictor: () => ort({ device: 'cpu' }), trainer: () => ort({ device: 'cpu' }), tensors: () => undefined },
];

const mb = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
const fmt = (v) => (v === undefined ? '-' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);

function verdict(samples) {
  const [first, middle, last] = [samples[0], samples[Math.floor((samples.length - 1) / 2)], samples.at(-1)];
  const rssGrowth = last.rssMb - first.rssMb;
  const secondHalf = last.rssMb - middle.rssMb;
  const tensorGrowth = first.tensors === undefined ? 0 : last.tensors - first.tensors;
  return { rssGrowth, secondHalf, tensorGrowth, flat: secondHalf <= RSS_SLACK_MB && tensorGrowth === 0 };
}

function table(title, rows) {
  console.log(`\n${title}`);
  console.log(['step'.padStart(8), 'RSS MB'.padStart(8), 'tensors'.padStart(8)].join(' '));
  for (const r of rows) console.log([String(r.step).padStart(8), fmt(r.rssMb).padStart(8), fmt(r.tensors).padStart(8)].join(' '));
}

async function soakPredict(b) {
  const model = lenet5({ seed: 0 });
  const compiled = await b.predictor().compile(model);
  const next = rng(1, 'soak');
  const input = { shape: [1, ...model.inputShape], data: Float32Array.from({ length: 32 * 32 }, () => next()) };
  for (let i = 0; i < 200; i++) await compiled.predict(input); // warm-up
  const samples = [];
  const t0 = performance.now();
  for (let i = 1; i <= PREDICTS; i++) {
    await compiled.predict(input);
    if (i === 1 || i % (PREDICTS / 10) === 0) samples.push({ step: i, rssMb: mb(), tensors: b.tensors() });
  }
  const seconds = (performance.now() - t0) / 1000;
  await compiled.dispose();
  return { samples, seconds, afterDispose: b.tensors() };
}

async function soakTrain(b) {
  const model = lenet5({ seed: 0 });
  const next = rng(2, 'soak');
  const x = { shape: [SAMPLES, ...model.inputShape], data: Float32Array.from({ length: SAMPLES * 32 * 32 }, () => next()) };
  const y = Array.from({ length: SAMPLES }, (_, i) => i % 10);
  const trainer = b.trainer();
  const samples = [];
  const t0 = performance.now();
  await trainer.fit(model, { x, y }, {
    optimizer: 'adam', learningRate: 1e-3, epochs: EPOCHS, batchSize: 32, seed: 0,
    callbacks: { onEpochEnd: (epoch) => { samples.push({ step: epoch + 1, rssMb: mb(), tensors: b.tensors() }); } },
  });
  const seconds = (performance.now() - t0) / 1000;
  await trainer.dispose?.();
  return { samples, seconds, afterDispose: b.tensors() };
}

const results = [];
for (const b of BACKENDS) {
  const p = await soakPredict(b);
  table(`${b.name}: ${PREDICTS} predicts (batch 1) in ${p.seconds.toFixed(1)} s`, p.samples);
  const t = await soakTrain(b);
  table(`${b.name}: ${EPOCHS} epochs of ${SAMPLES} samples in ${t.seconds.toFixed(1)} s (step = epoch)`, t.samples);
  // Epoch 1 is the training warm-up; flatness is judged from epoch 2 on.
  results.push({ backend: b.name, predict: verdict(p.samples), train: verdict(t.samples.slice(1)), afterDispose: [p.afterDispose, t.afterDispose] });
}

console.log(`\nverdict (RSS growth over the whole run and its second half, at most ${RSS_SLACK_MB} MB; live tensors, no growth)`);
let ok = true;
for (const r of results) {
  for (const phase of ['predict', 'train']) {
    const v = r[phase];
    ok &&= v.flat;
    const signed = (n, digits = 1) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
    console.log(`${r.backend.padEnd(10)} ${phase.padEnd(8)} RSS ${signed(v.rssGrowth)} MB (second half ${signed(v.secondHalf)} MB), tensors ${signed(v.tensorGrowth, 0)}: ${v.flat ? 'flat' : 'NOT FLAT'}`);
  }
}
for (const r of results) {
  if (r.afterDispose[0] !== undefined) console.log(`${r.backend.padEnd(10)} live tensors after dispose: ${r.afterDispose.join(' (predict), ')} (train)`);
}
console.log(ok ? 'all flat' : 'leak suspected');
process.exitCode = ok ? 0 : 1;
