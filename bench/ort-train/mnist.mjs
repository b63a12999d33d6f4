/**
 * Dev-time: LeNet-5 on the full MNIST (60,000 training, 10,000 test digits, zero-padded to
 * 32x32, standardized) with ortTrainer; prints each epoch's loss, test accuracy and time.
 *
 *   pnpm --filter @convzoo/backend-ort build && node bench/ort-train/mnist.mjs [variant] [epochs]
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../../packages/backend-ort/package.json', import.meta.url));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const { lenet5 } = await load('@convzoo/arch-lenet');
const { loadMnist } = await load('@convzoo/datasets');
const { ortTrainer } = await import('../../packages/backend-ort/dist/train/index.js');

const variant = process.argv[2] ?? 'modern';
const epochs = Number(process.argv[3] ?? 12);
const data = (split) => {
  const d = loadMnist({ split, pad: 2 });
  return { x: d.images, y: d.labels };
};
const train = data('train');
const test = data('test');
const model = lenet5({ variant, seed: 1 });
const trainer = ortTrainer(model);
const t0 = performance.now();
let lastEpoch = t0;
const { history } = await trainer.fit(train, {
  optimizer: 'adam',
  learningRate: { schedule: 'cosine', initial: 2e-3, minimum: 1e-5 },
  epochs,
  batchSize: 64,
  seed: 1,
  validationData: test,
  callbacks: {
    onEpochEnd(epoch, logs) {
      const now = performance.now();
      console.log(`epoch ${epoch + 1}/${epochs}: loss ${logs.loss.toFixed(4)}, train accuracy ${(100 * logs.accuracy).toFixed(2)}%, ` +
        `test accuracy ${(100 * logs.valAccuracy).toFixed(2)}%, ${((now - lastEpoch) / 1000).toFixed(1)} s`);
      lastEpoch = now;
    },
  },
});
const seconds = (performance.now() - t0) / 1000;
const final = await trainer.evaluate(test);
await trainer.dispose();
console.log(JSON.stringify({
  model: `lenet5 ${variant}`, epochs, seconds: Math.round(seconds), samplesPerSecond: Math.round((60000 * epochs) / seconds),
  testAccuracy: final.accuracy, bestTestAccuracy: Math.max(...history.map((h) => h.valAccuracy)),
}));
