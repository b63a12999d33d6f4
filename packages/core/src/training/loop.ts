/**
 * The epoch loop every trainer runs (Keras 3's one fit contract over several backends): epoch
 * order, batches, the schedule's learning rate per step, abort, callbacks, validation and
 * history are decided here, and a backend supplies only how one step runs.
 */
import type { EpochLogs, EpochCheckpoint, FitOptions, ResolvedFit, Evaluation } from './options.js';
import { batches, epochOrder, loadBatch, type TrainingData } from './data.js';
import { learningRateAt } from './schedule.js';

/** What a backend does for one step: train on the samples at `indices` with this learning rate. */
export interface StepContext {
  readonly indices: Uint32Array;
  /** The samples at `indices`, loaded (and decoded, for a BatchSource) while the previous step ran. */
  readonly batch: { readonly x: Float32Array; readonly y: Int32Array };
  readonly epoch: number;
  /** Global step number (epoch * stepsPerEpoch + batch): seeds the step's dropout masks. */
  readonly step: number;
  readonly learningRate: number;
}

export interface FitLoop {
  /** The fit data and the classifier's class count (labels are checked against it). */
  readonly data: TrainingData;
  readonly classes: number;
  /** Runs one step; returns its mean loss and how many samples it classified correctly. */
  step(ctx: StepContext): Promise<{ readonly loss: number; readonly correct: number }>;
  /** Inference-mode loss and accuracy on the validation data with the weights as they are now. */
  validate?(): Promise<Evaluation>;
  /** Writes the weights back into the model and returns the optimizer slots (the checkpoint). */
  save: EpochCheckpoint['save'];
  /** Awaited before each batch (tfjs yields to the event loop there so signals and timers run). */
  beforeBatch?(): Promise<void>;
}

/**
 * Runs epochs initialEpoch..epochs-1 over `n` samples; stops before a batch once `signal` is
 * aborted. Batch k+1 is loaded while step k runs, so that decoding images (a BatchSource on
 * worker threads) overlaps the step instead of adding to it.
 */
export async function runFitLoop(
  n: number, fit: ResolvedFit, opts: Pick<FitOptions, 'signal' | 'callbacks'>, loop: FitLoop,
): Promise<{ history: EpochLogs[]; stopped: boolean }> {
  const history: EpochLogs[] = [];
  const stepsPerEpoch = Math.ceil(n / fit.batchSize);
  for (let epoch = fit.initialEpoch; epoch < fit.epochs; epoch++) {
    let loss = 0;
    let correct = 0;
    let lr = 0;
    const order = [...batches(epochOrder(n, fit.shuffle, fit.seed, epoch), fit.batchSize)];
    const load = (i: number) => {
      const p = loadBatch(loop.data, order[i]!, loop.classes, epoch);
      // A batch fetched ahead whose step never comes (abort, a failed step) must not reject unheard.
      p.catch(() => undefined);
      return p;
    };
    let next = order.length > 0 ? load(0) : undefined;
    for (const [i, indices] of order.entries()) {
      await loop.beforeBatch?.();
      if (opts.signal?.aborted) return { history, stopped: true };
      const loaded = await next!;
      next = i + 1 < order.length ? load(i + 1) : undefined;
      const step = epoch * stepsPerEpoch + i;
      lr = learningRateAt(fit.learningRate, { epoch, step, totalSteps: fit.epochs * stepsPerEpoch });
      const r = await loop.step({ indices, batch: loaded, epoch, step, learningRate: lr });
      loss += r.loss * indices.length;
      correct += r.correct;
      await opts.callbacks?.onBatchEnd?.(i, { loss: r.loss, accuracy: r.correct / indices.length, learningRate: lr });
    }
    let logs: EpochLogs = { epoch, loss: loss / n, accuracy: correct / n, learningRate: lr };
    if (loop.validate) {
      const v = await loop.validate();
      logs = { ...logs, valLoss: v.loss, valAccuracy: v.accuracy };
    }
    history.push(logs);
    await opts.callbacks?.onEpochEnd?.(epoch, logs, { save: loop.save });
  }
  return { history, stopped: false };
}
