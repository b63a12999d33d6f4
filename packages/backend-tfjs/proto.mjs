import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
const { backend_util } = tf;
function k(name) { return tf.getKernel(name, 'wasm').kernelFunc; }
tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  const transpose = k('Transpose'), conv2d = k('Conv2D'), slice = k('Slice');
  let xt = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
  const dyt = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
  const top = info.padInfo.top, left = info.padInfo.left;
  let bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top;
  let right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left;
  const temps = [xt, dyt];
  if (bottom < 0 || right < 0) {
    xt = slice({ inputs: { x: xt }, backend, attrs: { begin: [0, 0, 0, 0], size: [xt.shape[0], xt.shape[1] + Math.min(bottom, 0), xt.shape[2] + Math.min(right, 0), xt.shape[3]] } });
    temps.push(xt); bottom = Math.max(bottom, 0); right = Math.max(right, 0);
  }
  const out = conv2d({ inputs: { x: xt, filter: dyt }, backend, attrs: { strides: [1, 1], dilations: [info.strideHeight, info.strideWidth], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC' } });
  temps.push(out);
  const dw = transpose({ inputs: { x: out }, backend, attrs: { perm: [1, 2, 0, 3] } });
  for (const t of temps) backend.disposeData(t.dataId);
  return dw;
}});
const dev = process.argv[2] ?? 'wasm';
await tf.setBackend(dev);
// check vs cpu
{
  const x = tf.randomNormal([3, 9, 9, 4]), dy0 = tf.randomNormal([3, 4, 4, 5]);
  const f = (be) => { return tf.conv2dBackpropFilter ? null : null; };
}
const B = 64;
const W = {
  c1: tf.variable(tf.randomNormal([5,5,1,6], 0, 0.2)), b1: tf.variable(tf.zeros([6])),
  c2: tf.variable(tf.randomNormal([5,5,6,16], 0, 0.1)), b2: tf.variable(tf.zeros([16])),
  d1: tf.variable(tf.randomNormal([400,120], 0, 0.05)), e1: tf.variable(tf.zeros([120])),
  d2: tf.variable(tf.randomNormal([120,84], 0, 0.1)), e2: tf.variable(tf.zeros([84])),
  d3: tf.variable(tf.randomNormal([84,10], 0, 0.1)), e3: tf.variable(tf.zeros([10])),
};
const opt = tf.train.sgd(0.01);
const x = tf.randomNormal([B, 28, 28, 1]); const y = tf.oneHot(tf.tensor1d(Array.from({length:B},(_, i)=>i%10),'int32'), 10);
function loss() {
  let h = tf.relu(tf.add(tf.conv2d(x, W.c1, 1, [[0,0],[2,2],[2,2],[0,0]]), W.b1));
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.relu(tf.add(tf.conv2d(h, W.c2, 1, 'valid'), W.b2));
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.reshape(h, [B, 400]);
  h = tf.relu(tf.add(tf.matMul(h, W.d1), W.e1));
  h = tf.relu(tf.add(tf.matMul(h, W.d2), W.e2));
  h = tf.add(tf.matMul(h, W.d3), W.e3);
  return tf.losses.softmaxCrossEntropy(y, h);
}
for (let it = 0; it < 3; it++) { const l = opt.minimize(loss, true); l.dataSync(); l.dispose(); }
const n = dev === 'cpu' ? 5 : 40;
const t0 = performance.now();
for (let it = 0; it < n; it++) { const l = opt.minimize(loss, true); l.dataSync(); l.dispose(); }
const dt = (performance.now() - t0) / 1000;
console.log(dev, 'samples/s', (n * B / dt).toFixed(0), tf.memory().numTensors);
