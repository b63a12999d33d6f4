/**
 * Generated ONNX training graphs (forward, backward and optimizer update in standard operators),
 * and the names and layouts a runtime needs to feed and read them.
 */
export {
  buildStepGraph, toGraphLayout, fromGraphLayout, convzooShape, DEFAULT_IM2COL_LIMIT,
  INPUT, LABELS, LEARNING_RATE, LOSS, CORRECT, INPUT_GRADIENT, nextName, gradName, maskName, activationName,
  type StepGraph, type StepGraphOptions, type StateEntry, type DropoutMask,
} from './step-graph.js';
export { NCHWC_PROBE, nchwcBlockOf, nchwcProbeGraph } from './ops/nchwc.js';
