// Memory over one epoch of 20,000 image files: LeNet-5 trained on ONNX Runtime (ort-cpu) from a
// folder of MNIST digits (grey PNG and RGB JPEG), RSS sampled after every batch. The folder source
// decodes batch by batch with a bounded cache, so RSS should level off once the session and the
// cache are warm and stay there to the end of the epoch.
// Usage: node bench/rss-epoch.mjs [--per-class N]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { lenet5 } from '@convzoo/arch-lenet';
import { ort } from '@convzoo/backend-ort';
import { imageFolder } from '@convzoo/datasets';
import { writeDigits } from './digit-files.mjs';

const { values: opts } = parseArgs({ options: { 'per-class': { type: 'string', default: '2000' } } });
const root = mkdtempSync(join(tmpdir(), 'convzoo-bench-rss-'));
await writeDigits(root, Number(opts['per-class']), 0);

const mb = () => process.memoryUsage().rss / 2 ** 20;
const model = lenet5({ seed: 0 });
const before = mb();
const { train } = await imageFolder(root, { preprocessing: model.preprocessing, seed: 0 });
const afterScan = mb();
const rss = [];
const trainer = ort({ device: 'cpu' });
const t0 = performance.now();
await trainer.fit(model, train, {
  optimizer: 'adam', learningRate: 2e-3, epochs: 1, batchSize: 64, seed: 0,
  callbacks: { onBatchEnd: () => void rss.push(mb()) },
});
const seconds = (performance.now() - t0) / 1000;
await trainer.dispose();
const at = (f) => rss[Math.min(rss.length - 1, Math.floor(f * rss.length))];
const tenth = Array.from({ length: 11 }, (_, i) => Number(at(i / 10).toFixed(1)));
console.log(`RESULT ${JSON.stringify({
  images: train.size, batches: rss.length, seconds: Number(seconds.toFixed(1)),
  rssMiB: { beforeScan: before, afterScan, firstBatch: rss[0], atTenths: tenth, end: rss.at(-1), max: Math.max(...rss) },
  growthFrom10PercentToEnd: rss.at(-1) - at(0.1),
})}`);
