import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
for (const be of ['cpu', 'wasm']) {
  await tf.setBackend(be);
  for (const [name, vals, pad] of [['neg valid', [-3, -1, -2, -4], 'valid'], ['mixed valid', [-3, 1, -2, -4], 'valid'], ['pos', [3, 1, 2, 4], 'valid'], ['neg 3x3', [-1,-2,-3,-9,-5,-6,-7,-8,-4], 'valid']]) {
    const s = Math.sqrt(vals.length);
    const x = tf.tensor(vals, [1, s, s, 1]);
    const y = tf.maxPool(x, s, 1, pad);
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy: tf.onesLike(y), input: x, output: y }, { filterSize: [s, s], strides: [1, 1], pad });
    console.log(be, name, y.dataSync()[0], Array.from(dx.dataSync()).join(','));
  }
}
