/**
 * Training throughput of @convzoo/backend-ort's fit (a generated ONNX training graph on
 * onnxruntime-node) beside backend-tfjs's fit on tfjs-wasm and PyTorch CPU, in one run on the
 * same machine:
 *
 * - LeNet-5 `paper` with Adam 2e-3 (what `convzoo train lenet5` trains) and `modern` with SGD +
 *   momentum 0.9, batch 64, random 32x32 images: samples/s.
 * - Seconds per training step at batch 16, 1000 classes, same optimizer, timed between steps
 *   inside one fit (tfjs-wasm is left out: minutes per step): ResNet-18 at 224x224, VGG-11-BN
 *   at 64x64 and GoogLeNet (torchvision variant, both auxiliary heads trained) at 96x96.
 *
 * Contenders alternate in mirrored blocks (ort, tfjs, torch, torch, tfjs, ort...) with a pause
 * between blocks (ONNX Runtime's threads spin for a while after a run); each figure is the
 * median of its runs. PyTorch runs in its own process (timed inside it, after a warm-up), with
 * as many threads as ONNX Runtime (one per core).
 *
 *   pnpm build && node bench/ort-train/bench.mjs [--quick] [--only lenet5|resnet18|vgg11_bn|googlenet]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { lenet5 } from '@convzoo/arch-lenet';
import { googlenet } from '@convzoo/arch-inception';
import { resnet18 } from '@convzoo/arch-resnet';
import { vgg11_bn } from '@convzoo/arch-vgg';
import { ort } from '@convzoo/backend-ort';
import { tfjs } from '@convzoo/backend-tfjs';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt < 0 ? undefined : process.argv[onlyAt + 1];
/** The training-step workloads: model and the input side torch_train.py builds the same network at. */
const STEPS = {
  resnet18: { side: 224, build: () => resnet18({ seed: 0 }) },
  vgg11_bn: { side: 64, build: () => vgg11_bn({ seed: 0, inputShape: [64, 64, 3] }) },
  googlenet: { side: 96, build: () => googlenet({ variant: 'torchvision', seed: 0, inputShape: [96, 96, 3] }) },
};
if (only !== undefined && only !== 'lenet5' && !(only in STEPS)) throw new Error(`--only takes lenet5, ${Object.keys(STEPS).join(', ')}; got ${only}`);
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('torch_train.py', import.meta.url));
const THREADS = os.cpus().length;
const SGD = { optimizer: { name: 'sgd', momentum: 0.9 }, learningRate: 0.01 };

const progress = (text) => process.stderr.write(`[ort-train] ${text}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pause = () => new Promise((resolve) => setTimeout(resolve, 200));

function randomData(n, shape, classes, seed) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    x: { shape: [n, ...shape], data: Float32Array.from({ length: n * size }, () => next() * 2 - 1) },
    y: Array.from({ length: n }, () => Math.floor(next() * classes)),
  };
}

/** One PyTorch block: `runs` timed runs of `steps` steps after a warm-up; samples/s per run. */
function torchBlock(kind, batch, steps, runs, threads = THREADS) {
  const r = spawnSync(PYTHON, [TORCH_SCRIPT, kind, String(batch), String(steps), String(runs), String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`torch_train.py ${kind} failed (${r.error?.message ?? `exit ${r.status}`})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** samples / seconds of one fit epoch. */
async function timeFit(fit, samples) {
  const t0 = performance.now();
  await fit();
  return samples / ((performance.now() - t0) / 1000);
}

/** The LeNet-5 workloads: each variant with its optimizer. */
const LENETS = {
  paper: { optimizer: 'adam', learningRate: 2e-3 },
  modern: SGD,
};

async function lenet(variant) {
  const batch = 64;
  const samples = batch * (quick ? 16 : 48);
  const rounds = quick ? 1 : 3;
  const data = randomData(samples, [32, 32, 1], 10, 1);
  const opts = { ...LENETS[variant], epochs: 1, batchSize: batch };
  const ortModel = lenet5({ variant, seed: 0 });
  const tfjsModel = lenet5({ variant, seed: 0 });
  const cpu = ort({ device: 'cpu' });
  const wasm = tfjs({ device: 'wasm' });
  await cpu.fit(ortModel, data, opts); // builds the session
  await wasm.fit(tfjsModel, data, opts);
  // PyTorch at one thread and at one per core: its OpenMP barriers can collapse on a busy
  // machine, so both run and the faster is the contender.
  const rates = { ort: [], tfjs: [], torch1: [], torchN: [] };
  let torchVersion;
  const blocks = {
    ort: async () => rates.ort.push(await timeFit(() => cpu.fit(ortModel, data, opts), samples), await timeFit(() => cpu.fit(ortModel, data, opts), samples)),
    tfjs: async () => rates.tfjs.push(await timeFit(() => wasm.fit(tfjsModel, data, opts), samples)),
    torch: async () => {
      for (const [key, threads] of [['torch1', 1], ['torchN', THREADS]]) {
        const r = torchBlock(`lenet5-${variant}`, batch, samples / batch, 2, threads);
        torchVersion = r.torch;
        rates[key].push(...r.samplesPerSecond);
      }
    },
  };
  for (let r = 0; r < rounds; r++) {
    for (const name of ['ort', 'tfjs', 'torch', 'torch', 'tfjs', 'ort']) {
      await blocks[name]();
      await pause();
    }
    progress(`lenet5 ${variant} round ${r + 1}/${rounds}: ort ${median(rates.ort).toFixed(0)}, tfjs-wasm ${median(rates.tfjs).toFixed(0)}, torch ${median(rates.torch1).toFixed(0)} (1 thread) / ${median(rates.torchN).toFixed(0)} (${THREADS}) samples/s`);
  }
  await cpu.dispose();
  return { samples, rates, torchVersion };
}

const STEP_BATCH = 16;

async function trainingStep(name) {
  const { side, build } = STEPS[name];
  const batch = STEP_BATCH;
  const steps = quick ? 2 : 3;
  const rounds = quick ? 1 : 2;
  // One batch more than timed: the first step of a fit also lays the weights out.
  const data = randomData(batch * (steps + 1), [side, side, 3], 1000, 2);
  const model = build();
  const cpu = ort({ device: 'cpu' });
  const t0 = performance.now();
  await cpu.fit(model, { x: { shape: [batch, side, side, 3], data: data.x.data.subarray(0, batch * side * side * 3) }, y: data.y.slice(0, batch) }, { ...SGD, batchSize: batch });
  const firstFit = (performance.now() - t0) / 1000;
  const seconds = { ort: [], torch: [] };
  let torchVersion;
  const blocks = {
    ort: async () => {
      let last;
      await cpu.fit(model, data, {
        ...SGD, batchSize: batch, shuffle: false,
        callbacks: {
          onBatchEnd: (b) => {
            const now = performance.now();
            if (b > 0) seconds.ort.push((now - last) / 1000);
            last = now;
          },
        },
      });
    },
    torch: async () => {
      const r = torchBlock(name, batch, steps, 1);
      torchVersion = r.torch;
      seconds.torch.push(batch * steps / r.samplesPerSecond[0] / steps);
    },
  };
  for (let r = 0; r < rounds; r++) {
    for (const name of ['ort', 'torch', 'torch', 'ort']) {
      await blocks[name]();
      await pause();
    }
    progress(`${name} round ${r + 1}/${rounds}: ort ${median(seconds.ort).toFixed(2)} s/step, torch ${median(seconds.torch).toFixed(2)} s/step`);
  }
  await cpu.dispose();
  return { seconds, firstFit, torchVersion };
}

const lenetResult = (l) => {
  const torchBest = Math.max(median(l.rates.torch1), median(l.rates.torchN));
  return {
    batch: 64,
    optimizer: LENETS[l.variant],
    samplesPerRun: l.samples,
    samplesPerSecond: {
      ort: median(l.rates.ort), tfjsWasm: median(l.rates.tfjs), torch1Thread: median(l.rates.torch1), [`torch${THREADS}Threads`]: median(l.rates.torchN),
    },
    runs: { ort: l.rates.ort.length, tfjsWasm: l.rates.tfjs.length, torch: l.rates.torch1.length },
    ortOverTfjsWasm: median(l.rates.ort) / median(l.rates.tfjs),
    ortOverFasterTorch: median(l.rates.ort) / torchBest,
  };
};

const runLenet = only === undefined || only === 'lenet5';
const paper = runLenet ? { variant: 'paper', ...(await lenet('paper')) } : undefined;
const modern = runLenet ? { variant: 'modern', ...(await lenet('modern')) } : undefined;
const stepResults = {};
for (const name of Object.keys(STEPS)) {
  if (only !== undefined && only !== name) continue;
  const r = await trainingStep(name);
  stepResults[name] = {
    batch: STEP_BATCH,
    input: [STEPS[name].side, STEPS[name].side, 3],
    secondsPerStep: { ort: median(r.seconds.ort), torch: median(r.seconds.torch) },
    steps: { ort: r.seconds.ort.length, torch: r.seconds.torch.length },
    ortOverTorch: median(r.seconds.ort) / median(r.seconds.torch),
    ortGraphAndSessionPlusOneStepSeconds: r.firstFit,
    torchVersion: r.torchVersion,
  };
}
const result = {
  machine: `${os.cpus()[0].model}, ${THREADS} cores, Node ${process.version}, torch ${paper?.torchVersion ?? Object.values(stepResults)[0]?.torchVersion}`,
  ...(paper && modern ? { lenet5Paper: lenetResult(paper), lenet5Modern: lenetResult(modern) } : {}),
  ...stepResults,
};
console.log(JSON.stringify(result, null, 2));
