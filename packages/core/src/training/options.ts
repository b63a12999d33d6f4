/**
 * The training contract every backend that trains implements (tfjs and ONNX Runtime):
 * option types, their validation and defaults, so that `fit(model, data, opts)` means the
 * same thing everywhere. Core runs nothing here.
 */
import { checkOptionKeys } from '../backend.js';
import { ConvzooError } from '../errors.js';
import type { Model } from '../model.js';
import type { TensorData } from '../tensor.js';
import type { TensorMap } from '../weights/safetensors.js';
import { checkLearningRate, type LearningRate } from './schedule.js';
import type { TrainingData } from './data.js';

/** L2 weight decay added to every trainable parameter's gradient (PyTorch's coupled form). */
interface Decay {
  readonly weightDecay?: number;
}
export interface SgdOptions extends Decay {
  readonly name: 'sgd';
  readonly momentum?: number;
  readonly nesterov?: boolean;
}
export interface AdamOptions extends Decay {
  readonly name: 'adam';
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}
export interface RmspropOptions extends Decay {
  readonly name: 'rmsprop';
  readonly decay?: number;
  readonly momentum?: number;
  readonly epsilon?: number;
  readonly centered?: boolean;
}
export type OptimizerOptions = SgdOptions | AdamOptions | RmspropOptions;
export type OptimizerSpec = OptimizerOptions['name'] | OptimizerOptions;

/** Keras's defaults. */
export const DEFAULT_LEARNING_RATE: Record<OptimizerOptions['name'], number> = { sgd: 0.01, adam: 0.001, rmsprop: 0.001 };


function nonNegative(value: number | undefined, what: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new ConvzooError('ARGUMENT_INVALID', `optimizer ${what} must be a finite number >= 0, got ${JSON.stringify(value)}`);
  }
}

export function resolveOptimizer(spec: OptimizerSpec): OptimizerOptions {
  const o = typeof spec === 'string' ? ({ name: spec } as OptimizerOptions) : spec;
  if (!o || !['sgd', 'adam', 'rmsprop'].includes(o.name)) {
    throw new ConvzooError('ARGUMENT_INVALID', `unknown optimizer ${JSON.stringify(typeof spec === 'string' ? spec : spec?.name)}; expected 'sgd', 'adam' or 'rmsprop'`);
  }
  nonNegative(o.weightDecay, 'weightDecay');
  if (o.name !== 'adam') nonNegative(o.momentum, 'momentum');
  if (o.name === 'sgd' && o.nesterov && !(o.momentum! > 0)) {
    throw new ConvzooError('ARGUMENT_INVALID', 'optimizer nesterov needs momentum > 0');
  }
  return o;
}

export interface BatchLogs {
  /** The training objective of the batch (main loss + auxLossWeight * auxiliary losses). */
  readonly loss: number;
  /** Of the main head, in training mode (dropout on). */
  readonly accuracy: number;
  readonly learningRate: number;
}

export interface EpochLogs extends BatchLogs {
  readonly epoch: number;
  /** Inference-mode loss and accuracy on validationData, when given. */
  readonly valLoss?: number;
  readonly valAccuracy?: number;
}

/** Handed to onEpochEnd: what a checkpoint needs, fetched only when asked for. */
export interface EpochCheckpoint {
  /**
   * Writes the current weights (moving statistics included) into `model.weights` in place and
   * returns the optimizer slots; model + slots resume exactly (FitOptions.initialEpoch/optimizerState).
   */
  save(): Promise<TensorMap>;
}

export interface FitCallbacks {
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, checkpoint: EpochCheckpoint): void | Promise<void>;
}

export interface FitOptions {
  /** 'sgd' | 'adam' | 'rmsprop' or their options (momentum, nesterov, weightDecay...). Default 'adam'. */
  readonly optimizer?: OptimizerSpec;
  /** A number or a 'step' / 'cosine' schedule. Default: Keras's rate for the optimizer. */
  readonly learningRate?: LearningRate;
  /** Default 1. */
  readonly epochs?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Shuffle every epoch (default true), seeded by `seed`. */
  readonly shuffle?: boolean;
  /** Seeds shuffling and dropout (default 0): the same seed trains the same weights. */
  readonly seed?: number;
  /** Weight of each training-only head's loss (GoogLeNet's auxiliary classifiers). Default 0.3. */
  readonly auxLossWeight?: number;
  readonly validationData?: TrainingData;
  readonly callbacks?: FitCallbacks;
  /**
   * Resuming (Keras's initial_epoch): epochs run from initialEpoch to epochs - 1, with the
   * shuffles, dropout masks and schedule an uninterrupted run would use at those epochs.
   */
  readonly initialEpoch?: number;
  /** The optimizer slots of the run being resumed (FitResult.optimizerState). */
  readonly optimizerState?: ReadonlyMap<string, TensorData>;
  /**
   * Layers (node names, see frozenLayers) left as they are: no gradient, no update, no optimizer
   * slots; a frozen BatchNorm normalises with its moving statistics and does not move them.
   * Trainers check it with resolveFreeze.
   */
  readonly freeze?: readonly string[];
  /** Checked before every batch: once aborted, training stops, the weights are written back as they are and `stopped` is true. */
  readonly signal?: AbortSignal;
}

export interface FitResult {
  readonly history: EpochLogs[];
  /** Optimizer slots after the last step, to pass back as FitOptions.optimizerState when resuming. */
  readonly optimizerState: TensorMap;
  /** True when FitOptions.signal stopped training before the last epoch ended. */
  readonly stopped: boolean;
}

export interface EvaluateOptions {
  /** Default 64 (DEFAULT_EVALUATE_BATCH_SIZE). */
  readonly batchSize?: number;
}

export const DEFAULT_EVALUATE_BATCH_SIZE = 64;

export interface Evaluation {
  /** Mean softmax cross-entropy of the (first) classifier output. */
  readonly loss: number;
  /** Fraction of samples whose top class is the label, in [0, 1]. */
  readonly accuracy: number;
}

export function checkBatchSize(batchSize: unknown): number {
  if (!Number.isInteger(batchSize) || (batchSize as number) < 1) {
    throw new ConvzooError('ARGUMENT_INVALID', `batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`);
  }
  return batchSize as number;
}

/**
 * A backend's training capability, the same on every backend (Keras 3's one fit contract): the
 * model is passed to each call and its weights are updated in place. `dispose` releases what
 * the backend keeps between calls (sessions, compiled steps); the trainer is unusable after.
 */
export interface Trainer {
  fit(model: Model, data: TrainingData, opts?: FitOptions): Promise<FitResult>;
  evaluate(model: Model, data: TrainingData, opts?: EvaluateOptions): Promise<Evaluation>;
  dispose(): Promise<void>;
}

const FIT_OPTION_KEYS: readonly (keyof FitOptions)[] = [
  'optimizer', 'learningRate', 'epochs', 'batchSize', 'shuffle', 'seed', 'auxLossWeight', 'validationData', 'callbacks',
  'initialEpoch', 'optimizerState', 'signal', 'freeze',
];
const EVALUATE_OPTION_KEYS: readonly (keyof EvaluateOptions)[] = ['batchSize'];

/** Validates EvaluateOptions and fills the default batch size. */
export function resolveEvaluateOptions(opts: EvaluateOptions = {}): { readonly batchSize: number } {
  checkOptionKeys(opts, EVALUATE_OPTION_KEYS, 'evaluate options');
  return { batchSize: checkBatchSize(opts.batchSize ?? DEFAULT_EVALUATE_BATCH_SIZE) };
}

/** FitOptions checked and with their defaults filled in. */
export interface ResolvedFit {
  readonly optimizer: OptimizerOptions;
  readonly learningRate: LearningRate;
  readonly epochs: number;
  readonly batchSize: number;
  readonly auxLossWeight: number;
  readonly seed: number;
  readonly initialEpoch: number;
  readonly shuffle: boolean;
}

function checkSeed(seed: unknown): number {
  if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 0xffffffff) {
    throw new ConvzooError('ARGUMENT_INVALID', `seed must be an integer in [0, 4294967295], got ${JSON.stringify(seed)}`);
  }
  return seed as number;
}

function positiveInt(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new ConvzooError('ARGUMENT_INVALID', `${what} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}

/** Validates FitOptions (one message per mistake, as every backend words it) and fills the defaults. */
export function resolveFitOptions(opts: FitOptions): ResolvedFit {
  checkOptionKeys(opts, FIT_OPTION_KEYS, 'fit options');
  const optimizer = resolveOptimizer(opts.optimizer ?? 'adam');
  const learningRate = opts.learningRate ?? DEFAULT_LEARNING_RATE[optimizer.name];
  checkLearningRate(learningRate);
  const epochs = positiveInt(opts.epochs ?? 1, 'epochs');
  const batchSize = checkBatchSize(opts.batchSize ?? 32);
  const auxLossWeight = opts.auxLossWeight ?? 0.3;
  if (!(auxLossWeight >= 0 && Number.isFinite(auxLossWeight))) throw new ConvzooError('ARGUMENT_INVALID', `auxLossWeight must be a finite number >= 0, got ${auxLossWeight}`);
  const initialEpoch = opts.initialEpoch ?? 0;
  if (!(Number.isInteger(initialEpoch) && initialEpoch >= 0 && initialEpoch < epochs)) {
    throw new ConvzooError('ARGUMENT_INVALID', `initialEpoch must be an integer in [0, epochs), got ${JSON.stringify(opts.initialEpoch)}`);
  }
  return { optimizer, learningRate, epochs, batchSize, auxLossWeight, seed: checkSeed(opts.seed ?? 0), initialEpoch, shuffle: opts.shuffle ?? true };
}
