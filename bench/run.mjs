/**
 * `pnpm bench`: every convzoo benchmark against its peers, as ratios, written to BENCHMARKS.md
 * (and bench/results.json for tracking). Each section runs in its own process; progress goes to
 * stderr. About 12 minutes on 2 cores; --quick is a smoke run that writes to bench/.cache/.
 *
 *   pnpm build && node bench/run.mjs [--quick]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_DIR, CACHE_DIR, CLI, OWN_SECTIONS, PYTHON, machine, machineLine, progress, run, torchMissing } from './lib.mjs';

const quick = process.argv.includes('--quick');
const ROOT = join(BENCH_DIR, '..');
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 60000).toFixed(1)} min`;
mkdirSync(CACHE_DIR, { recursive: true });

const require = createRequire(join(BENCH_DIR, 'package.json'));
const versionOf = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
const noTorch = torchMissing();
const libraries = {
  'onnxruntime-node': versionOf('onnxruntime-node'),
  'tfjs-core': versionOf('@tensorflow/tfjs-core'),
  'tfjs-layers': versionOf('@tensorflow/tfjs-layers'),
  ...(noTorch ? {} : { torch: run(PYTHON, ['-c', 'import torch; print(torch.__version__)']).stdout?.trim() ?? '?' }),
};
const before = machine();

/** A section in its own process; its last stdout line is JSON. */
function section(...args) {
  const r = run(process.execPath, [join(BENCH_DIR, 'section.mjs'), ...args.map(String)]);
  if (!r.ok) return { error: r.reason };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

// 1. bench/tfjs (another engineer's): LeNet-5 training and ResNet-50 inference against tfjs-layers.
progress(`bench/tfjs/bench.mjs${quick ? ' --quick' : ''} (${elapsed()})`);
const tfjsBench = run(process.execPath, [join(BENCH_DIR, 'tfjs/bench.mjs'), ...(quick ? ['--quick'] : [])], { timeout: 9 * 60_000 });
progress(`VGG-16 against tfjs-layers (${elapsed()})`);
const vggLayers = section('vgg-layers', quick ? 1 : 2);

// 2. backend-ort against backend-tfjs (wasm), through `convzoo bench` itself.
const ortTfjs = [];
for (const arch of quick ? ['resnet50'] : ['resnet50', 'googlenet', 'vgg16']) {
  for (const batch of quick ? [1] : [1, 8]) {
    const args = ['bench', arch, ...(arch === 'googlenet' ? ['--no-aux'] : []), '--backends', 'tfjs-wasm,ort-cpu', '--batch', String(batch), '--rounds', batch === 1 ? '2' : '1', '--json'];
    progress(`convzoo ${args.join(' ')} (${elapsed()})`);
    const r = run(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    ortTfjs.push({ arch, batch, command: `pnpm convzoo ${args.filter((a) => a !== '--json').join(' ')}`, ...(r.ok ? JSON.parse(r.stdout) : { error: r.reason }) });
  }
}

// 3 and 4. ONNX Runtime on convzoo's export against torchvision's; GFLOP/s against the peak.
if (!noTorch) {
  progress(`torchvision exports into bench/.cache (${elapsed()})`);
  const r = run(PYTHON, [join(BENCH_DIR, 'torch_export.py'), CACHE_DIR, 'resnet50', 'googlenet', 'vgg16']);
  if (!r.ok) progress(`torch_export.py failed: ${r.reason}`);
}
const ORT_PLAN = quick
  ? [['resnet50', 1, 2]]
  : [['resnet50', 1, 8], ['resnet50', 8, 3], ['googlenet', 1, 8], ['googlenet', 8, 3], ['vgg16', 1, 4], ['vgg16', 8, 2]];
const ortTorch = [];
for (const [arch, batch, rounds] of ORT_PLAN) {
  progress(`ONNX Runtime ${arch} batch ${batch}: convzoo's export vs torchvision's (${elapsed()})`);
  ortTorch.push(section('ort-vs-torch', arch, batch, rounds));
}

// 5. LeNet-5 training: convzoo (tfjs-wasm) against PyTorch CPU; bench/ort-train if it is there
// (its --quick: the full run takes more than the 4 minutes left in the 15-minute budget).
progress(`LeNet-5 training against PyTorch (${elapsed()})`);
const lenet = section('lenet-train', quick ? 256 : 1024, 2);
const ortTrainDir = join(BENCH_DIR, 'ort-train');
let ortTrain;
if (!existsSync(ortTrainDir)) ortTrain = { missing: 'bench/ort-train/ is not in this checkout' };
else {
  const script = ['bench.mjs', 'run.mjs', 'index.mjs'].map((f) => join(ortTrainDir, f)).find(existsSync);
  progress(`bench/ort-train (${elapsed()})`);
  const r = script ? run(process.execPath, [script, '--quick'], { timeout: 4 * 60_000 }) : { ok: false, reason: 'no bench.mjs in bench/ort-train' };
  const results = join(ortTrainDir, 'RESULTS.md');
  ortTrain = r.ok ? { stdout: r.stdout } : { error: r.reason, ...(existsSync(results) ? { results: readFileSync(results, 'utf8') } : {}) };
}

// 6. Memory: peak RSS to build and export VGG-19 over its weight bytes (backend-ort's script).
progress(`VGG-19 export memory (${elapsed()})`);
const memRun = run(process.execPath, [join(ROOT, 'packages/backend-ort/scripts/export-memory.mjs'), ...(quick ? ['--input', '64'] : [])]);
const memory = (memRun.stdout ?? '').split('\n').flatMap((line) => {
  const m = /^(\w+)\s+weights (\d+) MB.*peak RSS (\d+) MB = ([\d.]+)x the weight bytes; (.*)$/.exec(line);
  return m ? [{ mode: m[1], weightsMb: Number(m[2]), peakMb: Number(m[3]), ratio: Number(m[4]), what: m[5] }] : [];
});

const after = machine();
const results = { quick, date: new Date().toISOString(), machine: before, loadAfter: after.loadAverage, libraries, minutes: (performance.now() - started) / 60000, tfjsBench: tfjsBench.ok ? tfjsBench.stdout : { error: tfjsBench.reason }, vggLayers, ortTfjs, ortTorch, lenet, ortTrain, memory };
const outDir = quick ? CACHE_DIR : ROOT;
writeFileSync(join(quick ? CACHE_DIR : BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const { renderBenchmarks } = await import('./render.mjs');
// Sections written by runs of their own (bench/browser.mjs in Chromium, bench/cold-start.mjs): kept as they stand.
const benchmarksPath = join(outDir, 'BENCHMARKS.md');
const ownSections = existsSync(benchmarksPath) ? (readFileSync(benchmarksPath, 'utf8').match(OWN_SECTIONS) ?? []) : [];
writeFileSync(benchmarksPath, renderBenchmarks(results, machineLine(before, libraries), noTorch) + ownSections.map((x) => `\n${x}`).join(''));
progress(`done in ${elapsed()}: ${join(outDir, 'BENCHMARKS.md')}`);
