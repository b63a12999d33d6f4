/**
 * Browser timings in Chromium on this machine, written to BENCHMARKS.md's browser section
 * (between its markers): first and median predict times per browser device for LeNet-5,
 * ResNet-18 and GoogLeNet through the demo's addressable Run page, and ResNet-18 on ort-wasm
 * with every thread against one, beside the same model on onnxruntime-node (native MLAS, the
 * same kernels without wasm) measured in the same run: the thread scaling ONNX Runtime itself gets
 * on this model and machine. The GPU devices are SwiftShader (software rendering).
 *   pnpm --filter @convzoo/demo build && node bench/browser.mjs [--quick]
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { resnet18 } from '@convzoo/arch-resnet';
import { ort } from '@convzoo/backend-ort';
import { abba, median, randomFloats, writeBenchmarksSection } from './lib.mjs';

const demo = fileURLToPath(new URL('../apps/demo/', import.meta.url));
const requireDemo = createRequire(`${demo}package.json`);
const { preview } = await import(requireDemo.resolve('vite'));
const { chromium } = requireDemo('playwright-core');
const quick = process.argv.includes('--quick');

// The demo's e2e flags (apps/demo/e2e/browser.ts), WebGPU on SwiftShader included.
const ARGS = [
  '--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface',
];
const DEVICES = ['tfjs-webgl', 'tfjs-webgpu', 'tfjs-wasm', 'ort-wasm', 'ort-webgpu'];
const MODELS = [
  { label: 'LeNet-5 (32x32x1)', query: 'arch=lenet5' },
  { label: 'ResNet-18 (64x64x3)', query: 'arch=resnet18&variant=torchvision&input=64,64,3' },
  { label: 'GoogLeNet (96x96x3)', query: 'arch=googlenet&variant=torchvision&input=96,96,3' },
];
const THREAD_ROUNDS = quick ? 1 : 3;
/** Predicts timed per page for the thread ratio: 5 leave the median at the mercy of one slow run. */
const THREAD_RUNS = 40;

const server = await preview({ configFile: `${demo}vite.config.ts`, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, headless: true });

/** One addressable run in a fresh page (its own onnxruntime-web thread pool): the #run-report rows. */
async function run(query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${base}?${query}&run=1#run`);
    await page.locator('#run-report').filter({ hasText: /^\[/ }).waitFor({ state: 'attached', timeout: 600_000 });
    return { rows: JSON.parse(await page.locator('#run-report').textContent()), cores: await page.evaluate(() => navigator.hardwareConcurrency) };
  } finally {
    await context.close();
  }
}

/**
 * The thread ratio's native peer: the page's model (ResNet-18 torchvision, 64x64x3, batch 1) on
 * onnxruntime-node with one intra-op thread against its default (one per core), ABBA rounds of
 * `THREAD_RUNS` predicts each, medians of the per-predict times.
 */
async function nativeThreads() {
  const model = resnet18({ variant: 'torchvision', inputShape: [64, 64, 3], seed: 0 });
  const x = { shape: [1, 64, 64, 3], data: randomFloats(64 * 64 * 3, 7) };
  const backends = { one: ort({ device: 'cpu', threads: 1 }), all: ort({ device: 'cpu' }) };
  const compiled = { one: await backends.one.compile(model), all: await backends.all.compile(model) };
  const perPredict = { one: [], all: [] };
  const contender = (name) => ({
    name,
    run: async () => {
      for (let i = 0; i < THREAD_RUNS; i++) {
        const t = performance.now();
        await compiled[name].predict(x);
        perPredict[name].push(performance.now() - t);
      }
    },
  });
  await abba([contender('one'), contender('all')], { rounds: THREAD_ROUNDS, warmup: 1 });
  for (const c of Object.values(compiled)) await c.dispose();
  for (const b of Object.values(backends)) await b.dispose();
  // The warm-up round's predicts are dropped.
  return { oneMs: median(perPredict.one.slice(THREAD_RUNS)), allMs: median(perPredict.all.slice(THREAD_RUNS)) };
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const t0 = Date.now();
const loadBefore = os.loadavg();

const native = await nativeThreads();
// Alternating pages, one thread then all, so drift weighs on both alike; before the SwiftShader
// pages, whose GPU process work would otherwise still take a core from the wasm threads.
const one = [];
const all = [];
let allThreads;
for (let i = 0; i < THREAD_ROUNDS; i++) {
  one.push((await run(`${MODELS[1].query}&devices=ort-wasm&threads=1&runs=${THREAD_RUNS}`)).rows[0]);
  const r = await run(`${MODELS[1].query}&devices=ort-wasm&runs=${THREAD_RUNS}`);
  all.push(r.rows[0]);
  allThreads = r.rows[0].device;
}
const tables = [];
for (const m of quick ? MODELS.slice(0, 1) : MODELS) {
  const { rows } = await run(`${m.query}&devices=${DEVICES.join(',')}`);
  console.error(m.label, JSON.stringify(rows));
  tables.push({ label: m.label, rows });
}

const version = browser.version();
await browser.close();
await server.close();

const oneMs = median(one.map((r) => r.medianMs));
const allMs = median(all.map((r) => r.medianMs));
const cpu = os.cpus();
const lines = [
  '<!-- browser:start (written by bench/browser.mjs) -->',
  '## 7. Browser (Chromium, software rendering)',
  '',
  `Generated by \`node bench/browser.mjs\` on ${new Date().toISOString().slice(0, 10)} in ${((Date.now() - t0) / 60000).toFixed(1)} minutes: Debian chromium ${version} headless, ${cpu.length} cores (${cpu[0]?.model}), the demo built and served cross-origin isolated by vite preview, each model on one seeded batch-1 input through its addressable Run page; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at the start, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the end${loadBefore[0] > cpu.length ? ' (**the machine was busy with other work: ratios and times are pessimistic**)' : ''}. **WebGL and WebGPU are SwiftShader, a software rasterizer on the CPU**: their times say nothing of a real GPU (first runs compile every shader in software). first = the first predict after compile; median = of up to 5 later predicts within 3 s.`,
  '',
  `ResNet-18 64x64 on ort-wasm, median of ${THREAD_ROUNDS} page(s) each, each the median of ${THREAD_RUNS} predicts, measured before the SwiftShader pages: ${allThreads} ${fmt(allMs)} (pages: ${all.map((r) => fmt(r.medianMs)).join(', ')}), one thread ${fmt(oneMs)} (${one.map((r) => fmt(r.medianMs)).join(', ')}): **${(oneMs / allMs).toFixed(2)}x** with all threads (target >= 1.7x on 2 cores). Its peer in the same run, the same model on onnxruntime-node (native MLAS kernels, no wasm), ${THREAD_ROUNDS} ABBA round(s) of ${THREAD_RUNS} predicts: ${fmt(native.allMs)} on its default threads (one per core) against ${fmt(native.oneMs)} on one, **${(native.oneMs / native.allMs).toFixed(2)}x**.`,
  '',
  '| model | device requested | ran on | first | median | max rel diff vs first device |',
  '| --- | --- | --- | --- | --- | --- |',
  ...tables.flatMap((t) => t.rows.map((r) => (r.error
    ? `| ${t.label} | ${r.requested} | not run: ${r.error} | | | |`
    : `| ${t.label} | ${r.requested} | ${r.device}${/webgl|webgpu/.test(r.device) ? ', SwiftShader' : ''} | ${fmt(r.firstMs)} | ${fmt(r.medianMs)} | ${r.maxRelDiff.toExponential(1)} |`))),
  '<!-- browser:end -->',
];
const section = lines.join('\n');
writeBenchmarksSection('browser', section);
console.log(section);
