export { tfjs, TfjsBackend, type TfjsOptions } from './backend.js';
export { TfjsCompiledModel } from './compiled.js';
export { DEVICES, type TfjsDevice, type DeviceOptions } from './devices.js';
export type { LabeledData, EvaluateOptions, Evaluation } from './train/evaluate.js';
export type { FitOptions, FitResult, FitCallbacks, BatchLogs, EpochLogs, EpochCheckpoint } from './train/fit.js';
export type { OptimizerSpec, OptimizerOptions, SgdOptions, AdamOptions, RmspropOptions } from './train/optimizers.js';
export type { LearningRate, StepSchedule, CosineSchedule } from './train/schedule.js';
export { conv2DBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
