/**
 * LeNet-5 (`modern`) training throughput at batch 64, SGD, softmax cross-entropy on random
 * 32x32 images: convzoo on tfjs-wasm against PyTorch CPU (torch_lenet_train.py) on the same
 * machine. PyTorch runs in its own process, so the blocks alternate at that level:
 * torch, convzoo, convzoo, torch; each figure is the fastest epoch.
 */
import * as os from 'node:os';
import { lenet5 } from '@convzoo/arch-lenet';
import { tfjs } from '@convzoo/backend-tfjs';
import { BENCH_DIR, PYTHON, median, progress, randomFloats, run, torchMissing } from './lib.mjs';

export async function lenetTrain(samples, epochsPerBlock) {
  const missing = torchMissing();
  const backend = tfjs({ device: 'wasm' });
  const model = lenet5({ variant: 'modern', seed: 0 });
  const x = { shape: [samples, ...model.inputShape], data: randomFloats(samples * 32 * 32) };
  const y = Array.from({ length: samples }, (_, i) => (i * 7919) % 10);
  const fit = () => backend.fit(model, { x, y }, { optimizer: 'sgd', learningRate: 0.01, epochs: 1, batchSize: 64 });
  const convzoo = [];
  // PyTorch per thread count: one thread (as tfjs-wasm runs) and all cores; its OpenMP barriers
  // can collapse on a loaded machine, so both are kept and the faster one is the contender.
  const torch = new Map();
  let version;
  const convzooBlock = async () => {
    for (let e = 0; e < epochsPerBlock; e++) {
      const t0 = performance.now();
      await fit();
      convzoo.push(samples / ((performance.now() - t0) / 1000));
    }
    progress(`lenet5 training: convzoo tfjs-wasm ${Math.max(...convzoo).toFixed(0)} samples/s so far`);
  };
  const torchBlock = () => {
    if (missing) return;
    for (const threads of new Set([1, os.cpus().length])) {
      const r = run(PYTHON, [`${BENCH_DIR}torch_lenet_train.py`, String(samples), String(epochsPerBlock), String(threads)]);
      if (!r.ok) throw new Error(r.reason);
      const info = JSON.parse(r.stdout.trim().split('\n').at(-1));
      version = info.torch;
      torch.set(threads, [...(torch.get(threads) ?? []), ...info.samplesPerSecond]);
      progress(`lenet5 training: torch ${threads} thread(s) ${Math.max(...torch.get(threads)).toFixed(0)} samples/s so far`);
    }
  };
  await fit(); // warm-up
  torchBlock();
  await convzooBlock();
  await convzooBlock();
  torchBlock();
  const stats = (v) => ({ fastest: Math.max(...v), median: median(v), runs: v.length });
  if (missing) return { samples, convzoo: stats(convzoo), torch: { skipped: missing } };
  const byThreads = [...torch].map(([threads, v]) => ({ threads, ...stats(v) }));
  const best = byThreads.reduce((a, b) => (a.fastest >= b.fastest ? a : b));
  // time ratio convzoo / torch = torch's rate / convzoo's
  return { samples, convzoo: stats(convzoo), torch: { ...best, version, byThreads }, ratio: best.fastest / Math.max(...convzoo) };
}
