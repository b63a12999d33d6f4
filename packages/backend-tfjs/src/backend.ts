import {
  checkOptionKeys, type Backend, type CompileOptions, type EvaluateOptions, type Evaluation, type FitOptions, type FitResult,
  type TrainingData, type Model, type Trainer,
} from '@convzoo/core';
import { TfjsCompiledModel } from './compiled.js';
import { availableDevices, checkDeviceName, defaultDevice, loadDevice, type DeviceOptions, type TfjsDevice } from './devices.js';
import { evaluate } from './train/evaluate.js';
import { fit } from './train/fit.js';

export interface TfjsOptions extends DeviceOptions {
  /**
   * What runs: 'wasm' (default in Node), 'cpu', 'webgl' (browser), 'webgpu' (browser, where
   * available) or 'tensorflow' (libtensorflow via @tensorflow/tfjs-node or -node-gpu).
   */
  readonly device?: TfjsDevice;
}

/** The TensorFlow.js backend: inference on every device, and training (fit / evaluate). */
/** tfjs compiles with no options of its own (an unknown key is an error, as on every backend). */
export type TfjsCompileOptions = CompileOptions;

export class TfjsBackend implements Backend<TfjsCompileOptions>, Trainer {
  readonly name = 'tfjs';
  private readonly options: TfjsOptions;

  constructor(options: TfjsOptions = {}) {
    checkOptionKeys(options, ['device', 'wasmPaths'], 'tfjs options');
    if (options.device !== undefined) checkDeviceName(options.device);
    this.options = options;
  }

  /** The devices that can really run here. */
  devices(): Promise<string[]> {
    return availableDevices(this.options);
  }

  /** The device this backend runs on; loading it, or a DEVICE_UNAVAILABLE error listing the others. */
  async device(): Promise<TfjsDevice> {
    const device = this.options.device ?? await defaultDevice(this.options);
    await loadDevice(device, this.options);
    return device;
  }

  async compile(model: Model, opts?: TfjsCompileOptions): Promise<TfjsCompiledModel> {
    checkOptionKeys(opts, [], 'tfjs compile options');
    return TfjsCompiledModel.create(model, await this.device());
  }

  /** Trains the model's weights in place (see FitOptions). */
  async fit(model: Model, data: TrainingData, opts: FitOptions = {}): Promise<FitResult> {
    return fit(model, data, await this.device(), opts);
  }

  /** Loss and accuracy of the model as it predicts (inference mode). */
  async evaluate(model: Model, data: TrainingData, opts: EvaluateOptions = {}): Promise<Evaluation> {
    return evaluate(model, data, await this.device(), opts);
  }

  /** Nothing to release: fit frees its tensors when it returns and compiled models are disposed on their own. */
  async dispose(): Promise<void> {}
}

/** `tfjs({ device: 'wasm' })`: a core Backend running on TensorFlow.js. */
export function tfjs(options: TfjsOptions = {}): TfjsBackend {
  return new TfjsBackend(options);
}
