export { ortTrainer, OrtTrainer, type OrtTrainerOptions, type FitOptions, type FitResult, type FitCallbacks, type BatchLogs, type EpochLogs, type EpochCheckpoint, type EvaluateOptions, type Evaluation } from './trainer.js';
export type { LabeledData } from './data.js';
export type { OptimizerSpec, OptimizerOptions, SgdOptions, AdamOptions, RmspropOptions } from './optimizers.js';
export type { LearningRate, StepSchedule, CosineSchedule } from './schedule.js';
export { buildStepGraph, type StepGraph, type StepGraphOptions, type StateEntry, type DropoutMask } from './step-graph.js';
