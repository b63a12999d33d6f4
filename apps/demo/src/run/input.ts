/** The Run page's input (made in the model worker): one sample of uniform [0, 1) values, the same for a given seed. */
import { rng, sizeOf, type Shape, type TensorData } from '@convzoo/core';

export function seededInput(inputShape: Shape, seed: number): TensorData {
  const next = rng(seed, 'demo/run-input');
  const data = new Float32Array(sizeOf(inputShape));
  for (let i = 0; i < data.length; i++) data[i] = next();
  return { shape: [1, ...inputShape], data };
}
