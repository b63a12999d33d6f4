// LeNet-5 with convzoo train's default settings from a folder of MNIST digits written out as files
// (grey PNG and RGB JPEG alternating, class folders named by words), evaluated with eval --data on
// a held-out folder. Usage: node bench/image-folder-lenet.mjs [backend...] (default: auto)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDigits } from './digit-files.mjs';

const { main } = await import(join(import.meta.dirname, '../packages/cli/dist/main.js'));

const root = mkdtempSync(join(tmpdir(), 'convzoo-bench-folder-'));
await writeDigits(join(root, 'digits'), 500, 0);
await writeDigits(join(root, 'held-out'), 500, 30_000);
const io = { out: (t) => (io.stdout += `${t}\n`), err: (t) => console.error(t), stdout: '' };
for (const backend of process.argv.slice(2).length ? process.argv.slice(2) : ['auto']) {
  const out = join(root, `model-${backend}`);
  const t0 = performance.now();
  const code = await main(['train', 'lenet5', '--data', join(root, 'digits'), '--backend', backend, '--out', out], io);
  if (code) process.exit(code);
  const seconds = (performance.now() - t0) / 1000;
  io.stdout = '';
  await main(['eval', out, '--data', join(root, 'held-out'), '--backend', backend, '--json'], io);
  const r = JSON.parse(io.stdout);
  const { history } = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  const last = history.at(-1);
  console.log(`RESULT ${backend} (${r.device}): held-out accuracy ${(100 * r.accuracy).toFixed(2)}% on ${r.count} images, ` +
    `${history.length} epochs (val ${(100 * last.valAccuracy).toFixed(2)}%), train ${seconds.toFixed(1)} s`);
}
