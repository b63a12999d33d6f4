/**
 * Dev-time: LeNet-5 on the full MNIST (60,000 training, 10,000 test digits, zero-padded to
 * 32x32, standardized) on ort-cpu; prints each epoch's loss, test accuracy and time.
 *
 *   pnpm build && node bench/ort-train/mnist.mjs [variant] [epochs]
 */
import { lenet5 } from '@convzoo/arch-lenet';
import { ort } from '@convzoo/backend-ort';
import { loadMnist } from '@convzoo/datasets';

const variant = process.argv[2] ?? 'modern';
const epochs = Number(process.argv[3] ?? 12);
const data = (split) => {
  const d = loadMnist({ split, pad: 2 });
  return { x: d.images, y: d.labels };
};
const train = data('train');
const test = data('test');
const model = lenet5({ variant, seed: 1 });
const cpu = ort({ device: 'cpu' });
const t0 = performance.now();
let lastEpoch = t0;
const { history } = await cpu.fit(model, train, {
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
const final = await cpu.evaluate(model, test);
await cpu.dispose();
console.log(JSON.stringify({
  model: `lenet5 ${variant}`, epochs, seconds: Math.round(seconds), samplesPerSecond: Math.round((60000 * epochs) / seconds),
  testAccuracy: final.accuracy, bestTestAccuracy: Math.max(...history.map((h) => h.valAccuracy)),
}));
