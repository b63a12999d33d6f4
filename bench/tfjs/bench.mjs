/**
 * @convzoo/backend-tfjs against tfjs-layers running the same network on the same tfjs backend:
 * LeNet-5 (modern) training samples/s at batch 64 on wasm and cpu, ResNet-50 batch-1 inference
 * on wasm. Contenders alternate in ABBA order; each figure is the fastest of its runs, and the
 * ratio is convzoo's time / tfjs-layers' time (below 1: convzoo is faster).
 *
 *   pnpm --filter @convzoo/backend-tfjs build && node bench/tfjs/bench.mjs [--quick]
 */
import os from 'node:os';
import { tf, tfl, core, tfjs, lenet5, resnet50 } from './deps.mjs';
import { layersPredictor, toLayersModel } from './layers-model.mjs';

const quick = process.argv.includes('--quick');

/** Runs a, b, b, a `rounds` times (after one warm-up each); returns every run's seconds. */
async function abba(a, b, rounds) {
  const times = { a: [], b: [] };
  const time = async (f, into) => {
    const t0 = performance.now();
    await f();
    into?.push((performance.now() - t0) / 1000);
  };
  await time(a);
  await time(b);
  for (let r = 0; r < rounds; r++) {
    await time(a, times.a);
    await time(b, times.b);
    await time(b, times.b);
    await time(a, times.a);
  }
  return { convzoo: Math.min(...times.a), layers: Math.min(...times.b), runs: times.a.length };
}

function randomData(n, shape, classes, seed) {
  const x = core.rng(seed, 'x');
  const y = core.rng(seed, 'y');
  return {
    x: { shape: [n, ...shape], data: Float32Array.from({ length: n * core.sizeOf(shape) }, () => x() * 2 - 1) },
    y: Array.from({ length: n }, () => Math.floor(y() * classes)),
  };
}

async function lenetTraining(device) {
  const samples = device === 'wasm' ? (quick ? 512 : 2048) : (quick ? 128 : 512);
  const rounds = device === 'wasm' ? (quick ? 1 : 4) : (quick ? 1 : 5);
  const backend = tfjs({ device });
  await backend.device();
  // Logits + softmax in both: convzoo trains from the logits, tfjs-layers from the softmax.
  const model = lenet5({ variant: 'modern', classifierActivation: 'softmax', seed: 0 });
  const data = randomData(samples, model.inputShape, 10, 1);
  await tf.setBackend(device);
  const layers = toLayersModel(model);
  layers.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor(data.x.data, data.x.shape);
  const ys = tf.oneHot(tf.tensor1d(data.y, 'int32'), 10);
  const r = await abba(
    () => backend.fit(model, data, { optimizer: 'sgd', learningRate: 0.01, epochs: 1, batchSize: 64 }),
    async () => {
      await tf.setBackend(device);
      await layers.fit(xs, ys, { batchSize: 64, epochs: 1, shuffle: true, verbose: 0 });
    },
    rounds,
  );
  tf.dispose([xs, ys]);
  layers.dispose();
  return { what: `LeNet-5 training, batch 64, ${device}`, unit: 'samples/s', convzoo: samples / r.convzoo, layers: samples / r.layers, ratio: r.convzoo / r.layers, runs: r.runs };
}

async function resnetInference() {
  const backend = tfjs({ device: 'wasm' });
  const model = resnet50({ seed: 0 });
  const compiled = await backend.compile(model);
  await tf.setBackend('wasm');
  const layers = toLayersModel(model);
  const input = randomData(1, model.inputShape, 1, 2).x;
  const layersPredict = layersPredictor(layers, input);
  const agreement = core.maxRelDiff((await compiled.predict(input))[0].data, await layersPredict());
  const r = await abba(() => compiled.predict(input), layersPredict, quick ? 2 : 8);
  await compiled.dispose();
  layers.dispose();
  return { what: 'ResNet-50 inference, batch 1, 224x224, wasm', unit: 'ms', convzoo: r.convzoo * 1000, layers: r.layers * 1000, ratio: r.convzoo / r.layers, runs: r.runs, agreement };
}

const results = [await lenetTraining('wasm'), await lenetTraining('cpu'), await resnetInference()];
const cpus = os.cpus();
console.log(`node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, tfjs ${tf.version_core}, tfjs-layers ${tfl.version_layers}${quick ? ' (--quick)' : ''}\n`);
console.log('| benchmark | convzoo | tfjs-layers | ratio (time, convzoo / layers) | runs each |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of results) {
  const f = (v) => `${v.toFixed(r.unit === 'ms' ? 1 : 0)} ${r.unit}`;
  console.log(`| ${r.what} | ${f(r.convzoo)} | ${f(r.layers)} | ${r.ratio.toFixed(3)} | ${r.runs} |`);
}
const resnet = results[2];
console.log(`\nResNet-50 outputs agree: max|a-b|/max|b| = ${resnet.agreement.toExponential(2)}`);
