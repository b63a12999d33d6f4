#!/usr/bin/env node
/**
 * fp32 / fp16 / int8 on ONNX Runtime CPU, in one run: file size, predict latency (ABBA order,
 * medians compared to fp32's measured beside them) and what precision costs: LeNet-5 (paper,
 * trained here on MNIST) accuracy on the 10,000 test digits, ResNet-18 (trained here on part of
 * Fashion-MNIST) accuracy on its 10,000 test images; ResNet-18 and ResNet-50 (seeded) top-1
 * agreement with fp32 on generated inputs. Every fp16 and int8 file is also checked with
 * python3-onnx's onnx.checker (full_check) where /usr/bin/python3 has it. Writes BENCHMARKS.md's
 * precision section (between its markers).
 *   node bench/precision.mjs [--rounds 3] [--epochs 3] [--fashion-epochs 2] [--fashion-images 30000]   (after `pnpm build`)
 * --only fashion-resnet18 runs the Fashion-MNIST part alone (9 minutes on 2 cores, about as long
 * as the rest together) and puts its paragraph into the section as it stands, the rest unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { lenet5 } from '@convzoo/arch-lenet';
import { resnet18, resnet50 } from '@convzoo/arch-resnet';
import { ort } from '@convzoo/backend-ort';
import { loadFashionMnist, loadMnist } from '@convzoo/datasets';
import { maxRelDiff } from '@convzoo/core';
import { exportOnnx } from '@convzoo/onnx';
import { BENCHMARKS_MD, PYTHON, abba, progress, randomFloats, run, writeBenchmarksSection } from './lib.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rounds = flag('--rounds', 3);
const epochs = flag('--epochs', 3);
const fashionEpochs = flag('--fashion-epochs', 2);
const fashionImages = flag('--fashion-images', 30000);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
// Only this part's paragraph stands alone; the others share the section's tables.
if (only !== undefined && only !== 'fashion-resnet18') throw new Error(`--only takes fashion-resnet18, got ${only}`);
const t0 = Date.now();
const loadBefore = os.loadavg();
const backend = ort({ device: 'cpu' });
const PRECISIONS = ['fp32', 'fp16', 'int8'];
const dir = mkdtempSync(join(os.tmpdir(), 'convzoo-precision-'));

const argmax = (data, classes) => Array.from({ length: data.length / classes }, (_, i) => {
  let best = 0;
  for (let c = 1; c < classes; c++) if (data[i * classes + c] > data[i * classes + best]) best = c;
  return best;
});
const slice = (t, from, n) => {
  const per = t.data.length / t.shape[0];
  return { shape: [n, ...t.shape.slice(1)], data: t.data.subarray(from * per, (from + n) * per) };
};
/** Predicts in batches of 256 (one session run per batch). */
async function predictAll(compiled, x) {
  const parts = [];
  for (let i = 0; i < x.shape[0]; i += 256) parts.push((await compiled.predict(slice(x, i, Math.min(256, x.shape[0] - i))))[0].data);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) { out.set(p, pos); pos += p.length; }
  return out;
}
const generated = (n, shape, seed) => ({ shape: [n, ...shape], data: randomFloats(n * shape.reduce((a, b) => a * b, 1), seed) });
/**
 * Generated images that differ in more than noise: each gets its own per-channel offset in
 * [-1, 1] and contrast in [0.25, 1.75] over uniform noise, so a seeded network ranks them apart.
 */
function varied(n, shape, seed) {
  const x = generated(n, shape, seed);
  const c = shape[2];
  const per = x.data.length / n;
  const knobs = randomFloats(2 * n * c, seed + 1000);
  for (let i = 0; i < x.data.length; i++) {
    const k = 2 * (Math.floor(i / per) * c + (i % c));
    x.data[i] = knobs[k] + (1 + 0.75 * knobs[k + 1]) * x.data[i];
  }
  return x;
}
const checked = [];
function checkFile(name, bytes) {
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, bytes);
  checked.push(file);
}

/** Compiles the model in each precision; sizes, latency at `batches`, and the outputs on `evalX`. */
async function measure(name, model, calibration, evalX, batches) {
  progress(`${name}: calibrating and compiling fp32 / fp16 / int8`);
  const ranges = await backend.calibrate(model, calibration);
  const sizes = {};
  for (const p of PRECISIONS) {
    const bytes = exportOnnx(model, { precision: p, ...(p === 'int8' ? { activationRanges: ranges } : {}) });
    sizes[p] = bytes.length;
    if (p !== 'fp32') checkFile(`${name}-${p}`, bytes);
  }
  const compiled = {};
  for (const p of PRECISIONS) compiled[p] = await backend.compile(model, p === 'int8' ? { precision: p, calibration } : { precision: p });
  const outputs = {};
  for (const p of PRECISIONS) outputs[p] = await predictAll(compiled[p], evalX);
  const latency = [];
  for (const batch of batches) {
    const x = generated(batch, model.inputShape, 7);
    progress(`${name} batch ${batch}: ${rounds} ABBA rounds`);
    const timings = await abba(PRECISIONS.map((p) => ({ name: p, run: () => compiled[p].predict(x) })), { rounds, warmup: 1 });
    // Fastest runs compared, as everywhere in bench/ (a shared machine's load shows in medians).
    const base = timings.find((t) => t.name === 'fp32').fastestMs;
    latency.push({ batch, timings: timings.map((t) => ({ ...t, overFp32: t.fastestMs / base })) });
  }
  for (const p of PRECISIONS) await compiled[p].dispose();
  return { name, sizes, outputs, latency };
}

const CALIBRATION_IMAGES = 512;
const pct = (v) => `${(100 * v).toFixed(2)}%`;
const count = (n) => n.toLocaleString('en-US');
const points = (r, p) => (100 * (r.accuracy[p] - r.accuracy.fp32)).toFixed(2);

/**
 * Trains `model` on ort-cpu (Adam, cosine, batch 64, seed 0), then `measure`s it with int8
 * calibrated on the first training images, and each precision's accuracy on all of `test`.
 */
async function trainAndMeasure(name, model, train, test, fit, batches) {
  progress(`${name}: training ${fit.epochs} epochs on ${train.labels.length} images on ort-cpu`);
  const load = os.loadavg();
  const start = Date.now();
  await backend.fit(model, { x: train.images, y: train.labels }, { epochs: fit.epochs, batchSize: 64, seed: 0, optimizer: 'adam', learningRate: { schedule: 'cosine', initial: fit.learningRate } });
  const trainSeconds = (Date.now() - start) / 1000;
  const r = await measure(name, model, [slice(train.images, 0, CALIBRATION_IMAGES)], test.images, batches);
  const accuracy = Object.fromEntries(PRECISIONS.map((p) => {
    const predicted = argmax(r.outputs[p], 10);
    return [p, predicted.filter((c, i) => c === test.labels[i]).length / predicted.length];
  }));
  return { ...r, ...fit, trainSeconds, load, trainN: train.labels.length, testN: test.labels.length, accuracy };
}

/** One paragraph per trained model; `what` names the network, `data` the training images, `unit` what they are. */
const accuracyParagraph = (r, { what, data, unit }) => `${what} trained here for ${r.epochs} epochs on ${data} (Adam, cosine from ${r.learningRate}, batch 64, ${r.trainSeconds.toFixed(0)} s on ort-cpu, load average ${r.load[0].toFixed(2)} when it started); int8 calibrated on the first ${CALIBRATION_IMAGES} training ${unit}. Accuracy on the ${count(r.testN)} test ${unit}: fp32 **${pct(r.accuracy.fp32)}**, fp16 **${pct(r.accuracy.fp16)}**, int8 **${pct(r.accuracy.int8)}** (fp16 - fp32: ${points(r, 'fp16')} points, int8 - fp32: ${points(r, 'int8')} points).`;

const FASHION_WHAT = 'ResNet-18 (torchvision, 32x32x1 input: the 28x28 images zero-padded; 10 classes)';
/** ResNet-18 trained here on the first `fashionImages` Fashion-MNIST training images (class-balanced: they are interleaved by class). */
async function fashionResnet18() {
  const train = loadFashionMnist({ split: 'train', pad: 2, limit: fashionImages });
  const test = loadFashionMnist({ split: 'test', pad: 2 });
  const r = await trainAndMeasure('ResNet-18 Fashion-MNIST', resnet18({ inputShape: [32, 32, 1], numClasses: 10, seed: 0 }), train, test, { epochs: fashionEpochs, learningRate: 1e-3 }, []);
  const within = ['fp16', 'int8'].every((p) => Math.abs(r.accuracy[p] - r.accuracy.fp32) <= 0.005);
  return `${accuracyParagraph(r, { what: FASHION_WHAT, data: `the first ${count(r.trainN)} of Fashion-MNIST's ${count(60002)} training images`, unit: 'images' })} Issue #20's bar is 0.5 points: ${within ? 'both within it' : '**missed**'}.`;
}

/** The section as BENCHMARKS.md holds it, with the Fashion-MNIST paragraph put in (or replaced) after LeNet-5's. */
function withFashionParagraph(paragraph) {
  const md = readFileSync(BENCHMARKS_MD, 'utf8');
  const section = md.match(/<!-- precision:start[\s\S]*?<!-- precision:end -->/)?.[0];
  if (section === undefined) throw new Error(`${BENCHMARKS_MD} has no precision section yet: run the full bench first`);
  const lines = section.split('\n');
  const at = lines.findIndex((l) => l.startsWith(FASHION_WHAT));
  if (at >= 0) lines[at] = paragraph;
  else lines.splice(lines.findIndex((l) => l.startsWith('LeNet-5 (paper) trained here')) + 1, 0, '', paragraph);
  return lines.join('\n');
}

try {
  if (only === 'fashion-resnet18') {
    const paragraph = await fashionResnet18();
    writeBenchmarksSection('precision', withFashionParagraph(paragraph));
    process.stdout.write(`${paragraph}\n`);
  } else {
    // LeNet-5 (paper, convzoo train's default variant) trained here on MNIST.
    const lenet = lenet5({ variant: 'paper', seed: 0 });
    const lenetRun = await trainAndMeasure('LeNet-5', lenet, loadMnist({ split: 'train', pad: 2 }), loadMnist({ split: 'test', pad: 2 }), { epochs, learningRate: 2e-3 }, [1, 64]);
    const fashionParagraph = await fashionResnet18();

    const agreementRuns = [];
    for (const [name, model, evalN] of [['ResNet-18', resnet18({ seed: 0 }), 256], ['ResNet-50', resnet50({ seed: 0 }), 64]]) {
      const r = await measure(name, model, [varied(32, model.inputShape, 1)], varied(evalN, model.inputShape, 2), name === 'ResNet-18' ? [1, 8] : [8]);
      const top = argmax(r.outputs.fp32, 1000);
      r.agreement = Object.fromEntries(PRECISIONS.slice(1).map((p) => [p, argmax(r.outputs[p], 1000).filter((c, i) => c === top[i]).length / top.length]));
      r.logits = Object.fromEntries(PRECISIONS.slice(1).map((p) => [p, maxRelDiff(r.outputs[p], r.outputs.fp32)]));
      r.classes = new Set(top).size;
      r.evalN = evalN;
      agreementRuns.push(r);
    }

    // onnx.checker (full_check) on every fp16 and int8 file, where Debian's python3-onnx is installed.
    const checker = run(PYTHON, ['-c', 'import sys, onnx\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(onnx.__version__)', ...checked]);
    const checkerLine = checker.ok ? `onnx.checker.check_model(full_check=True) (onnx ${checker.stdout.trim()}) passes on all ${checked.length} fp16 and int8 files` : `onnx.checker: not run or failed (${checker.reason})`;

    const mb = (b) => `${(b / 2 ** 20).toFixed(2)} MB`;
    const ms = (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
    const cpu = os.cpus();
    const busy = loadBefore[0] > cpu.length;
    const latencyRows = (r) => r.latency.flatMap((l) => l.timings.map((t) => `| ${r.name} | ${l.batch} | ${t.name} | ${ms(t.medianMs)} | ${ms(t.fastestMs)} | ${t.overFp32.toFixed(2)} | ${(1 / t.overFp32).toFixed(2)}x |`));
    const all = [lenetRun, ...agreementRuns];
    const section = [
      '<!-- precision:start (written by bench/precision.mjs) -->',
      '## 9. Reduced precision on ONNX Runtime CPU: fp16 and int8',
      '',
      `Generated by \`node bench/precision.mjs\` on ${new Date().toISOString().slice(0, 10)} in ${((Date.now() - t0) / 60000).toFixed(1)} minutes, ${cpu.length} cores (${cpu[0]?.model}), load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start${busy ? ' (**the machine was busy with other work: times are pessimistic, ratios less so**)' : ''}. One \`ort({ device: 'cpu' })\` backend, default threads; \`compile(model, { precision })\` runs @convzoo/onnx's export in that precision. fp16: float16 weights read through Casts, float32 compute (ONNX Runtime's CPU provider has no float16 Conv on x86, so the speed is fp32's; the file is half). int8: static QDQ, per-channel int8 weights, uint8 activations from min-max calibration; ONNX Runtime fuses it into QLinearConv / QLinearAdd / QGemm. ${rounds} ABBA rounds (A B C C B A) after a warm-up; fastest runs compared with fp32's from the same rounds.`,
      '',
      '| model | fp32 file | fp16 file | int8 file | fp16 / fp32 | int8 / fp32 |',
      '| --- | --- | --- | --- | --- | --- |',
      ...all.map((r) => `| ${r.name} | ${mb(r.sizes.fp32)} | ${mb(r.sizes.fp16)} | ${mb(r.sizes.int8)} | ${(r.sizes.fp16 / r.sizes.fp32).toFixed(3)} | ${(r.sizes.int8 / r.sizes.fp32).toFixed(3)} |`),
      '',
      '| model | batch | precision | median | fastest | fastest / fp32 | speed-up |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...all.flatMap(latencyRows),
      '',
      accuracyParagraph(lenetRun, { what: 'LeNet-5 (paper)', data: 'the 60,000 MNIST training digits', unit: 'digits' }),
      '',
      fashionParagraph,
      '',
      ...agreementRuns.map((r) => `${r.name} (seeded weights, 224x224, 1000 classes), int8 calibrated on 32 generated images (uniform noise, each with its own per-channel offset and contrast): top-1 agreement with fp32 on ${r.evalN} other such images (fp32 picks ${r.classes} distinct classes among them): fp16 **${pct(r.agreement.fp16)}**, int8 **${pct(r.agreement.int8)}**; logits max|a - b| / max|b|: fp16 ${r.logits.fp16.toExponential(2)}, int8 ${r.logits.int8.toExponential(2)}.`),
      '',
      'A seeded network ranks almost every input alike (the distinct-class counts above), so top-1 agreement says little for the ResNets; the logit differences are the measure there. LeNet-5 paper\'s int8 is slower than fp32: its scaled tanh and trainable subsampling run in float32 between the integer convolutions, so each layer pays a Quantize / Dequantize for little integer work.',
      '',
      `${checkerLine}.`,
      '<!-- precision:end -->',
    ].join('\n');
    writeBenchmarksSection('precision', section);
    process.stdout.write(`${section}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await backend.dispose();
}
