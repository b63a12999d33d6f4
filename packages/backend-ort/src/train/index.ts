/**
 * Deprecated since 0.2: training is on the backend itself (`ort().fit(model, data, opts)`, core's
 * Trainer, as on every backend) and the step graphs are in @convzoo/onnx/train. These names keep
 * working for one minor version.
 */
import type { EvaluateOptions, Evaluation, FitOptions, FitResult, TrainingData, Model, Trainer } from '@convzoo/core';
import { ort, type OrtBackendOptions, type OrtDevice } from '../index.js';

/** @deprecated use OrtBackendOptions */
export type OrtTrainerOptions = OrtBackendOptions;

/** @deprecated a per-model view of `ort(options)`: use `ort(options).fit(model, data, opts)`. */
export class OrtTrainer {
  private readonly backend;

  constructor(readonly model: Model, options: OrtTrainerOptions = {}) {
    this.backend = ort(options);
    this.backend.trainerFor(model);
  }

  get device(): OrtDevice {
    return this.backend.device;
  }

  fit(data: TrainingData, opts?: FitOptions): Promise<FitResult> {
    return this.backend.fit(this.model, data, opts);
  }

  evaluate(data: TrainingData, opts?: EvaluateOptions): Promise<Evaluation> {
    return this.backend.evaluate(this.model, data, opts);
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}

/** @deprecated use `ort(options).fit(model, data, opts)`. */
export function ortTrainer(model: Model, options: OrtTrainerOptions = {}): OrtTrainer {
  return new OrtTrainer(model, options);
}

/** @deprecated `ort(options)` is core's Trainer itself. */
export function ortTraining(options: OrtTrainerOptions = {}): Trainer {
  return ort(options);
}

/** @deprecated import from @convzoo/onnx/train */
export {
  buildStepGraph, toGraphLayout, fromGraphLayout, DEFAULT_IM2COL_LIMIT,
  type StepGraph, type StepGraphOptions, type StateEntry, type DropoutMask,
} from '@convzoo/onnx/train';
