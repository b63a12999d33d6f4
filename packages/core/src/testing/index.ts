/**
 * `@convzoo/core/testing`: the backend conformance suite (needs vitest), the float64 reference
 * interpreter, the per-op cases as data, seeded test inputs and a classification accuracy for
 * downstream tests.
 */
export { describeBackendConformance, type ConformanceOptions, type ModelCase } from './conformance.js';
export { OP_CASES, opCaseModel, type OpCase } from './op-cases.js';
export { referencePredict } from './reference.js';
export { randomInput, randomizeNonKernelWeights } from './random.js';
export { classificationAccuracy } from './accuracy.js';
