import { ConvzooError } from '../errors.js';

/** Multiplies the rate by `gamma` every `everyEpochs` epochs (PyTorch's StepLR). */
export interface StepSchedule {
  readonly schedule: 'step';
  readonly initial: number;
  readonly everyEpochs: number;
  readonly gamma?: number;
}
/** Half a cosine from `initial` down to `minimum` over the whole run, updated every batch. */
export interface CosineSchedule {
  readonly schedule: 'cosine';
  readonly initial: number;
  readonly minimum?: number;
}
export type LearningRate = number | StepSchedule | CosineSchedule;

export interface Progress {
  readonly epoch: number;
  /** Steps done so far and in the whole run. */
  readonly step: number;
  readonly totalSteps: number;
}

function ensure(ok: boolean, what: string, expected: string, value: unknown): void {
  if (!ok) throw new ConvzooError('ARGUMENT_INVALID', `${what} must be ${expected}, got ${JSON.stringify(value)}`);
}

const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

export function checkLearningRate(lr: LearningRate): void {
  if (typeof lr === 'number') return ensure(isPositive(lr), 'learningRate', 'a finite number > 0', lr);
  if (lr?.schedule === 'step') {
    ensure(isPositive(lr.initial), 'learningRate.initial', 'a finite number > 0', lr.initial);
    ensure(Number.isInteger(lr.everyEpochs) && lr.everyEpochs >= 1, 'learningRate.everyEpochs', 'a positive integer', lr.everyEpochs);
    return ensure(lr.gamma === undefined || isPositive(lr.gamma), 'learningRate.gamma', 'a finite number > 0', lr.gamma);
  }
  if (lr?.schedule === 'cosine') {
    ensure(isPositive(lr.initial), 'learningRate.initial', 'a finite number > 0', lr.initial);
    return ensure(lr.minimum === undefined || (lr.minimum >= 0 && lr.minimum <= lr.initial), 'learningRate.minimum', 'in [0, initial]', lr.minimum);
  }
  ensure(false, 'learningRate', "a number or { schedule: 'step' | 'cosine', ... }", lr);
}

export function learningRateAt(lr: LearningRate, p: Progress): number {
  if (typeof lr === 'number') return lr;
  if (lr.schedule === 'step') return lr.initial * (lr.gamma ?? 0.1) ** Math.floor(p.epoch / lr.everyEpochs);
  const min = lr.minimum ?? 0;
  return min + ((lr.initial - min) * (1 + Math.cos((Math.PI * p.step) / p.totalSteps))) / 2;
}
