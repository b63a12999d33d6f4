// What bench/tfjs loads, all by name from bench's own dependencies (one tfjs-core instance with
// backend-tfjs, as pnpm links the same version once).
export * as tf from '@tensorflow/tfjs-core';
export * as tfl from '@tensorflow/tfjs-layers';
export * as core from '@convzoo/core';
export { tfjs } from '@convzoo/backend-tfjs';
export { lenet5 } from '@convzoo/arch-lenet';
export { resnet50 } from '@convzoo/arch-resnet';
