/**
 * `@convzoo/core/testing`: the float64 reference interpreter, the per-op cases as data, seeded
 * test inputs and a classification accuracy for downstream tests. Nothing here imports vitest
 * (a script or a browser can use the interpreter); the backend conformance suite, which does,
 * is `@convzoo/core/testing/conformance`.
 */
export { OP_CASES, opCaseModel, type OpCase } from './op-cases.js';
export { referencePredict } from './reference.js';
export { randomInput, randomizeNonKernelWeights } from './random.js';
export { classificationAccuracy } from './accuracy.js';
export { GRAPH_CASES } from './graph-cases.js';
