// Is decoding the bottleneck? ResNet-18 (224x224x3, torchvision preprocessing) trained on ONNX
// Runtime (ort-cpu) from a folder of 2,000 generated 224x224 JPEGs, against the same steps on the
// same tensors already decoded (a source that replays the batches the first run decoded). Both
// runs time the same batches after a warm-up one; A B B A order. Also the decode of a batch alone.
// Usage: node bench/decode-throughput.mjs [--batches K] [--batch B]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { resnet18 } from '@convzoo/arch-resnet';
import { ort } from '@convzoo/backend-ort';
import { epochOrder } from '@convzoo/core';
import { imageFolder } from '@convzoo/datasets';

const sharp = createRequire(join(import.meta.dirname, '../packages/cli/package.json'))('sharp');
const { values: opts } = parseArgs({ options: { batches: { type: 'string', default: '5' }, batch: { type: 'string', default: '16' } } });
const K = Number(opts.batches);
const B = Number(opts.batch);

// 2,000 photo-like JPEGs: smooth colour fields with texture, 200 per class.
const root = mkdtempSync(join(tmpdir(), 'convzoo-bench-decode-'));
for (let c = 0; c < 10; c++) {
  mkdirSync(join(root, `class${c}`));
  for (let i = 0; i < 200; i++) {
    const px = Buffer.alloc(224 * 224 * 3);
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        const o = (y * 224 + x) * 3;
        px[o] = (x * (c + 1) + i) & 255;
        px[o + 1] = (y * 2 + 40 * Math.sin((x + i) / 9)) & 255;
        px[o + 2] = ((x ^ y) + c * 25 + ((x * 7919 + y * 104729 + i) % 23)) & 255;
      }
    }
    writeFileSync(join(root, `class${c}`, `${i}.jpg`), await sharp(px, { raw: { width: 224, height: 224, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
  }
}

const preprocessing = resnet18({ numClasses: 10 }).preprocessing;
const folder = await imageFolder(root, { preprocessing, seed: 0 });
const n = folder.train.size;
const fit = { optimizer: 'adam', learningRate: 1e-3, epochs: 1, batchSize: B, seed: 0 };

// The batches the timed runs use, decoded once here (and the decode alone timed on them).
const order = epochOrder(n, true, 0, 0);
const decoded = [];
const decodeMs = [];
for (let k = 0; k <= K; k++) {
  const t0 = performance.now();
  decoded.push(await folder.train.batch(order.subarray(k * B, (k + 1) * B), 0));
  decodeMs.push(performance.now() - t0);
}
// Replays them in order: the step alone, nothing to decode.
const replay = () => {
  let k = 0;
  return { size: n, sampleShape: folder.train.sampleShape, batch: async () => decoded[k++] };
};
// A fresh source each run, so its cache holds nothing yet: every image is decoded from its file.
const files = async () => (await imageFolder(root, { preprocessing, seed: 0 })).train;

/** Seconds per image over batches 1..K (batch 0 warms the session up). */
async function run(source) {
  const trainer = ort({ device: 'cpu' });
  const controller = new AbortController();
  let t0 = 0;
  let seconds = 0;
  await trainer.fit(resnet18({ numClasses: 10, seed: 0 }), source, {
    ...fit, signal: controller.signal,
    callbacks: {
      onBatchEnd(batch) {
        if (batch === 0) t0 = performance.now();
        if (batch === K) {
          seconds = (performance.now() - t0) / 1000;
          controller.abort();
        }
      },
    },
  });
  await trainer.dispose();
  return (K * B) / seconds;
}

const withDecode = [];
const stepOnly = [];
for (const which of ['files', 'replay', 'replay', 'files']) {
  if (which === 'files') withDecode.push(await run(await files()));
  else stepOnly.push(await run(replay()));
}
const best = (a) => Math.max(...a);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`RESULT ${JSON.stringify({
  images: n, batch: B, timedBatches: K,
  withDecodeImagesPerSecond: withDecode, stepOnlyImagesPerSecond: stepOnly,
  ratioBest: best(withDecode) / best(stepOnly),
  decodeMsPerBatch: median(decodeMs.slice(1)),
})}`);
