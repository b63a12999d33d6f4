export { tfjs, TfjsBackend, type TfjsOptions, type TfjsCompileOptions } from './backend.js';
export { TfjsCompiledModel } from './compiled.js';
export { DEVICES, type TfjsDevice, type DeviceOptions } from './devices.js';
// The training contract lives in core (shared with every backend that trains); re-exported for convenience.
export type {
  LabeledData, BatchSource, TrainingData, EvaluateOptions, Evaluation, FitOptions, FitResult, FitCallbacks, BatchLogs, EpochLogs, EpochCheckpoint,
  OptimizerSpec, OptimizerOptions, SgdOptions, AdamOptions, RmspropOptions, LearningRate, StepSchedule, CosineSchedule,
} from '@convzoo/core';
export { conv2DBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
