export { ortTrainer, ortTraining, OrtTrainer, type OrtTrainerOptions } from './trainer.js';
export {
  buildStepGraph, toGraphLayout, fromGraphLayout, DEFAULT_IM2COL_LIMIT,
  type StepGraph, type StepGraphOptions, type StateEntry, type DropoutMask,
} from './step-graph.js';
