/**
 * The ONNX Runtime backend, written once for onnxruntime-node and onnxruntime-web: core's
 * Backend (compile, predict) and Trainer (fit, evaluate, dispose) on one device.
 */
import {
  checkOptionKeys, type Backend, type EvaluateOptions, type TensorData, type Evaluation, type FitOptions, type FitResult, type TrainingData, type Model, type Trainer,
} from '@convzoo/core';
import type { ActivationRanges } from '@convzoo/onnx';
import { calibrate, type CalibrateOptions } from './calibrate.js';
import { OrtCompiledModel } from './compiled-model.js';
import { ModelTrainer } from './model-trainer.js';
import { checkOrtOptions, COMPILE_OPTION_KEYS, type OrtCompileOptions, type OrtOptions } from './options.js';
import type { OrtRuntime } from './runtime.js';
import { sessionsFor, type Sessions } from './sessions.js';

export class OrtBackend<D extends string> implements Backend<OrtCompileOptions>, Trainer {
  readonly name = 'ort';
  private readonly sessions: Sessions<D>;
  /** One trainer per model: its generated step stays loaded between fit calls until dispose. */
  private readonly trainers = new Map<Model, ModelTrainer<D>>();

  constructor(private readonly runtime: OrtRuntime<D>, opts: OrtOptions<D>) {
    this.sessions = sessionsFor(runtime, checkOrtOptions(opts, runtime.devices), opts);
  }

  /** The device this backend runs on (requested, or the entry's default). */
  get device(): D {
    return this.sessions.device;
  }

  devices(): Promise<D[]> {
    return this.runtime.available();
  }

  async compile(model: Model, opts: OrtCompileOptions = {}): Promise<OrtCompiledModel<D>> {
    checkOptionKeys(opts, COMPILE_OPTION_KEYS, 'ort compile options');
    return OrtCompiledModel.create(model, this.sessions, opts);
  }

  /**
   * Activation ranges for int8 export (`exportOnnx(model, { precision: 'int8', activationRanges })`):
   * each quantized tensor's [min, max] over the float32 model's run on `batches` (NHWC,
   * preprocessed like the model's inputs; labels are not needed).
   */
  calibrate(model: Model, batches: readonly TensorData[], opts?: CalibrateOptions): Promise<ActivationRanges> {
    return calibrate(model, batches, this.sessions, opts);
  }

  /** Trains the model's weights in place (see FitOptions). */
  fit(model: Model, data: TrainingData, opts?: FitOptions): Promise<FitResult> {
    return this.trainerFor(model).fit(data, opts);
  }

  /** Loss and accuracy of the model as it predicts (inference mode). */
  evaluate(model: Model, data: TrainingData, opts?: EvaluateOptions): Promise<Evaluation> {
    return this.trainerFor(model).evaluate(data, opts);
  }

  /** Releases the training and evaluation sessions (compiled models are disposed on their own). */
  async dispose(): Promise<void> {
    const trainers = [...this.trainers.values()];
    this.trainers.clear();
    for (const t of trainers) await t.dispose();
  }

  /** @internal The per-model trainer behind fit / evaluate (the deprecated ortTrainer wraps it). */
  trainerFor(model: Model): ModelTrainer<D> {
    let t = this.trainers.get(model);
    if (t === undefined) this.trainers.set(model, (t = new ModelTrainer(model, this.sessions)));
    return t;
  }
}
