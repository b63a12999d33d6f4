import type { Model } from '../model.js';
import { sizeOf, type TensorData } from '../tensor.js';
import { fillNormal, fillUniform, rng } from '../weights/random.js';

/** A seeded standard-normal batch [N, ...shape]. */
export function randomInput(shape: readonly number[], seed = 0): TensorData {
  const data = new Float32Array(sizeOf(shape));
  fillNormal(data, rng(seed, 'input'), 1);
  return { shape: [...shape], data };
}

/**
 * Gives biases, BatchNorm affine parameters and moving statistics seeded non-trivial values
 * (freshly initialized ones are 0/1 and would hide mistakes in those paths). In place.
 */
export function randomizeNonKernelWeights(model: Model, seed = 0): Model {
  for (const [key, t] of model.weights) {
    const next = rng(seed, key);
    if (key.endsWith('/bias') || key.endsWith('/beta') || key.endsWith('/moving_mean')) fillUniform(t.data, next, -0.1, 0.1);
    else if (key.endsWith('/gamma') || key.endsWith('/moving_variance') || key.endsWith('/coefficient')) fillUniform(t.data, next, 0.5, 1.5);
  }
  return model;
}
