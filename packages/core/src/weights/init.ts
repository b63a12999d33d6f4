import type { ParamSpec } from '../ops/types.js';
import { sizeOf, type TensorData } from '../tensor.js';
import { fillNormal, fillUniform, rng } from './random.js';

/**
 * Initial value of one parameter. Conv kernels: He normal (fan in), as torchvision and Keras
 * ResNet do; dense kernels: Glorot uniform (Keras's default); BatchNorm: gamma 1, beta 0,
 * statistics 0 / 1; biases 0; LeNet subsampling coefficients 1/4 (starts as an average pool).
 */
export function initParam(spec: ParamSpec, seed: number, fullName: string): TensorData {
  const data = new Float32Array(sizeOf(spec.shape));
  const fanIn = spec.fanIn ?? 1;
  const fanOut = spec.fanOut ?? 1;
  switch (spec.init) {
    case 'zeros':
      break;
    case 'ones':
      data.fill(1);
      break;
    case 'quarter':
      data.fill(0.25);
      break;
    case 'heNormal':
      fillNormal(data, rng(seed, fullName), Math.sqrt(2 / fanIn));
      break;
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      fillUniform(data, rng(seed, fullName), -limit, limit);
      break;
    }
  }
  return { shape: [...spec.shape], data };
}
