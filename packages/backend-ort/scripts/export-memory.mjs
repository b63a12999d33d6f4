#!/usr/bin/env node
// Dev-time: peak memory of exporting VGG-19 (about 575 MB of float32 weights), as peak RSS of
// the whole process over the weight bytes. Each mode runs in its own process (peak RSS is a
// process-wide high-water mark). Run after `pnpm build`.
// Usage: node scripts/export-memory.mjs [DIR] [--input 448]
//   file    exportOnnxFile: streamed to disk (external data when past 2 GiB)
//   memory  exportOnnx: the whole file in memory
//   ort     ort().compile: the staged export (a temporary file) plus ONNX Runtime's own copy of the
//           weights, then one batch-1 predict (the weights ONNX Runtime maps become resident)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vgg19 } from '@convzoo/arch-vgg';
import { ort } from '@convzoo/backend-ort';
import { exportOnnx } from '@convzoo/onnx';
import { exportOnnxFile } from '@convzoo/onnx/node';

const args = process.argv.slice(2);
const size = args.includes('--input') ? Number(args[args.indexOf('--input') + 1]) : 224;
const mode = args.find((a) => a.startsWith('--mode='))?.slice(7);
const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;

if (mode === undefined) {
  const dir = args[0] && !args[0].startsWith('--') ? args[0] : mkdtempSync(join(tmpdir(), 'convzoo-memory-'));
  console.log(`VGG-19 at ${size}x${size}x3, 1000 classes; node ${process.version}`);
  for (const m of ['file', 'memory', 'ort']) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), dir, '--input', String(size), `--mode=${m}`], { stdio: 'inherit' });
    if (r.status !== 0) console.log(`${m}: exited with ${r.status}`);
  }
  if (!args[0] || args[0].startsWith('--')) rmSync(dir, { recursive: true, force: true });
} else {
  const model = vgg19({ inputShape: [size, size, 3] });
  const weightBytes = [...model.weights.values()].reduce((n, t) => n + t.data.byteLength, 0);
  const before = process.memoryUsage().rss;
  const t = performance.now();
  const maxRss = () => process.resourceUsage().maxRSS * 1024;
  let what;
  let seconds;
  let peak;
  if (mode === 'file') {
    const files = exportOnnxFile(model, join(args[0], `vgg19_${size}.onnx`));
    what = `${mb(statSync(files.model).size)} .onnx${files.data ? ` + ${mb(statSync(files.data).size)} external data` : ''}`;
  } else if (mode === 'memory') {
    what = `${mb(exportOnnx(model).length)} in memory`;
  } else {
    const compiled = await ort({ device: 'cpu' }).compile(model);
    [seconds, peak] = [(performance.now() - t) / 1000, maxRss()];
    await compiled.predict({ shape: [1, size, size, 3], data: new Float32Array(size * size * 3) });
    // File-backed pages (the weights ONNX Runtime maps) can be dropped by the kernel; anonymous ones cannot.
    const fileKb = Number(/RssFile:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    what = `ONNX Runtime session; after a first predict peak RSS ${mb(maxRss())} = ${(maxRss() / weightBytes).toFixed(2)}x, ${mb(fileKb * 1024)} of RSS file-backed`;
    await compiled.dispose();
  }
  seconds ??= (performance.now() - t) / 1000;
  peak ??= maxRss();
  console.log(
    `${mode.padEnd(6)} weights ${mb(weightBytes)}, RSS before export ${mb(before)} (${(before / weightBytes).toFixed(2)}x), ` +
      `peak RSS ${mb(peak)} = ${(peak / weightBytes).toFixed(2)}x the weight bytes; ${what}; ${seconds.toFixed(1)} s`,
  );
}
