// LeNet-5 with convzoo train's default settings from a folder of MNIST digits written out as files
// (grey PNG and RGB JPEG alternating, class folders named by words), evaluated with eval --data on
// a held-out folder. Usage: node bench/image-folder-lenet.mjs [backend...] (default: auto)
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'packages/cli/package.json'));
const sharp = require('sharp');
const { loadMnist } = await import(require.resolve('@convzoo/datasets'));
const { main } = await import(join(process.cwd(), 'packages/cli/dist/main.js'));
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

async function writeDigits(dir, perClass, offset) {
  const m = loadMnist({ split: 'train', normalize: 'unit' });
  const counts = new Array(10).fill(0);
  for (let i = offset; i < m.labels.length && counts.some((c) => c < perClass); i++) {
    const label = m.labels[i];
    if (counts[label] >= perClass) continue;
    const px = Buffer.from(m.images.data.subarray(i * 784, (i + 1) * 784).map((v) => Math.round(v * 255)));
    const folder = join(dir, WORDS[label]);
    mkdirSync(folder, { recursive: true });
    const image = sharp(px, { raw: { width: 28, height: 28, channels: 1 } });
    const k = counts[label]++;
    if (k % 2 === 0) writeFileSync(join(folder, `${i}.png`), await image.png().toBuffer());
    else writeFileSync(join(folder, `${i}.jpg`), await image.toColourspace('srgb').jpeg({ quality: 95 }).toBuffer());
  }
}

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
