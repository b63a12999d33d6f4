// The bench harness itself on tiny work (node --test, well under 30 s); the benchmarks proper
// stay out of `pnpm test`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abba, CLI, OWN_SECTIONS, run, writeBenchmarksSection } from './lib.mjs';
import { renderBenchmarks } from './render.mjs';

const spin = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };

test('abba: warm-up, ABBA order, each run timed, fastest and median of the runs', async () => {
  const calls = [];
  const [fast, slow] = await abba(
    [{ name: 'fast', run: () => { calls.push('a'); spin(2); } }, { name: 'slow', run: () => { calls.push('b'); spin(4); } }],
    { rounds: 3, warmup: 1 },
  );
  assert.equal(calls.join(''), `ab${'abba'.repeat(3)}`);
  assert.equal(fast.runsMs.length, 6);
  // Lower bounds only: a spin takes at least its length however loaded the machine is.
  assert.ok(fast.runsMs.every((ms) => ms >= 2) && slow.runsMs.every((ms) => ms >= 4), `${fast.runsMs} / ${slow.runsMs}`);
  for (const t of [fast, slow]) {
    assert.equal(t.fastestMs, Math.min(...t.runsMs));
    const sorted = [...t.runsMs].sort((a, b) => a - b);
    assert.equal(t.medianMs, (sorted[2] + sorted[3]) / 2);
  }
});

test('convzoo bench on lenet5, the command run.mjs drives, gives JSON results', () => {
  const r = run(process.execPath, [CLI, 'bench', 'lenet5', '--backends', 'tfjs-wasm,ort-cpu', '--rounds', '1', '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  assert.ok(r.ok, r.reason);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.results.map((x) => x.backend), ['tfjs-wasm', 'ort-cpu']);
  assert.ok(doc.results[1].agreement < 1e-5);
  assert.ok(doc.machine.peakGflops > 0);
});

test('BENCHMARKS.md marks a missed target with by how much, and a skipped contender with its reason', () => {
  const timing = (ms) => ({ fastestMs: ms, medianMs: ms, runsMs: [ms, ms], gflops: 100, ofPeak: 0.5 });
  const md = renderBenchmarks({
    quick: true, date: '2026-01-01T00:00:00Z', minutes: 1, machine: { loadAverage: [4, 4, 4], cores: 2 }, loadAfter: [4, 4, 4],
    tfjsBench: { error: 'timed out' },
    vggLayers: { convzoo: timing(1000), layers: timing(990), ratio: 1.0101, ratioMedian: 1, agreement: 0 },
    ortTfjs: [],
    ortTorch: [{ name: 'resnet50', batch: 8, peakGflops: 294, convzoo: timing(300), 'convzoo-nchw': timing(300), skipped: 'no torch', ops: { convzoo: { Conv: 53 } } }],
    lenet: { convzoo: { fastest: 1000, median: 900, runs: 4 }, torch: { skipped: 'torch is not installed' } },
    ortTrain: { missing: 'bench/ort-train/ is not in this checkout' },
    memory: [{ mode: 'memory', weightsMb: 548, peakMb: 1644, ratio: 3, what: 'x' }],
  }, 'a machine', 'torch is not installed');
  assert.match(md, /\*\*not met\*\* \(3x vs 2\.5x/);
  assert.match(md, /\*\*not met\*\* \(100\.0 GFLOP\/s = 50% of ~294/);
  assert.match(md, /skipped: torch is not installed/);
  assert.match(md, /bench\/tfjs failed: timed out/);
  assert.match(md, /VGG-16 inference, batch 1, wasm: 1\.010/);
});

test('sections written by their own runs: replaced in place, appended when new, and all kept by run.mjs', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'convzoo-bench-')), 'BENCHMARKS.md');
  writeFileSync(file, '# B\n\n<!-- browser:start (x) -->\nold\n<!-- browser:end -->\n\ntail\n');
  writeBenchmarksSection('browser', '<!-- browser:start (x) -->\nnew\n<!-- browser:end -->', file);
  writeBenchmarksSection('cold-start', '<!-- cold-start:start (y) -->\ncold\n<!-- cold-start:end -->', file);
  const md = readFileSync(file, 'utf8');
  assert.equal(md, '# B\n\n<!-- browser:start (x) -->\nnew\n<!-- browser:end -->\n\ntail\n\n<!-- cold-start:start (y) -->\ncold\n<!-- cold-start:end -->\n');
  assert.deepEqual(md.match(OWN_SECTIONS), ['<!-- browser:start (x) -->\nnew\n<!-- browser:end -->\n', '<!-- cold-start:start (y) -->\ncold\n<!-- cold-start:end -->\n']);
});
