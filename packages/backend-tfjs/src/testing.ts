/**
 * @convzoo/backend-tfjs/testing: the graph runner and kernels behind the backend, for tests that
 * compare another backend's internals with tfjs's (gradients, max-pool routing). Not a stable API.
 */
export { runGraph, type RunOptions, type ParamTensors } from './run-graph.js';
export { softmaxCrossEntropy } from './train/loss.js';
export { OP_KERNELS } from './ops/index.js';
export { differentiable } from './ops/grad.js';
export { maxPoolArgmax, maxPoolGradient } from './ops/max-pool-gradient.js';
