/**
 * Training on ONNX Runtime: the model's training step is generated once as an ONNX graph
 * (forward, backward, optimizer update), loaded into one session, and run batch after batch
 * with the weights and optimizer slots carried between runs as tensors. Same surface as
 * backend-tfjs's fit / evaluate.
 */
import {
  applyConnectionMask, batches, checkBatchSize, checkLabeledData, ConvzooError, epochOrder, gatherBatch, learningRateAt, logitsOf, resolveFitOptions, rng, sizeOf,
  type EvaluateOptions, type Evaluation, type EpochLogs, type FitOptions, type FitResult, type LabeledData, type Model,
  type OptimizerOptions, type TensorData, type TensorMap, type Trainer,
} from '@convzoo/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ORT_DEVICES, ortCudaStatus, type OrtDevice } from '../backend.js';
import { CarriedState } from './carried-state.js';
import {
  buildStepGraph, convzooShape, CORRECT, fromGraphLayout, INPUT, LABELS, LEARNING_RATE, LOSS, toGraphLayout,
  type DropoutMask, type StepGraph, type StateEntry,
} from './step-graph.js';

export interface OrtTrainerOptions {
  /** 'cpu' (default) or 'cuda'; 'cuda' without ONNX Runtime's CUDA provider is an error, never a CPU fallback. */
  readonly device?: OrtDevice;
  /** Intra-op threads (default: ONNX Runtime's choice, one per physical core). */
  readonly threads?: number;
  /** Passed to InferenceSession.create over convzoo's settings. */
  readonly sessionOptions?: InferenceSession.SessionOptions;
}

interface LoadedGraph {
  readonly graph: StepGraph;
  readonly session: InferenceSession;
}

/** One inverted-dropout mask per dropout layer, drawn from (seed, step, layer): a resumed run draws the same. */
function dropoutMasks(masks: readonly DropoutMask[], n: number, seed: number, step: number, feeds: Record<string, Tensor>): void {
  for (const m of masks) {
    const next = rng(seed, `dropout/${step}/${m.name}`);
    const keep = 1 / (1 - m.rate);
    const data = new Float32Array(n * sizeOf(m.shape));
    for (let i = 0; i < data.length; i++) data[i] = next() < m.rate ? 0 : keep;
    feeds[m.name] = new Tensor('float32', data, [n, ...m.shape]);
  }
}

export class OrtTrainer {
  readonly model: Model;
  /** Where the graphs run: never a silent fallback. */
  readonly device: OrtDevice;
  private readonly options: OrtTrainerOptions;
  private training: { key: string; loaded: Promise<LoadedGraph> } | undefined;
  private evaluation: Promise<LoadedGraph> | undefined;
  private disposed = false;

  constructor(model: Model, options: OrtTrainerOptions = {}) {
    const device = options.device ?? 'cpu';
    if (!ORT_DEVICES.includes(device)) {
      throw new ConvzooError('ARGUMENT_INVALID', `ort device must be one of ${ORT_DEVICES.join(', ')}, got ${JSON.stringify(device)}`);
    }
    if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
      throw new ConvzooError('ARGUMENT_INVALID', `threads must be a positive integer, got ${JSON.stringify(options.threads)}`);
    }
    logitsOf(model, model.graph.outputs[0]!);
    this.model = model;
    this.device = device;
    this.options = options;
  }

  /**
   * Trains the model with softmax cross-entropy on its classifier output (plus its training-only
   * heads, weighted by auxLossWeight), then writes every weight, moving statistics included,
   * back into `model.weights` in place.
   */
  async fit(data: LabeledData, opts: FitOptions = {}): Promise<FitResult> {
    const { optimizer, learningRate, epochs, batchSize, auxLossWeight, seed, initialEpoch, shuffle } = resolveFitOptions(opts);
    const { classes } = logitsOf(this.model, this.model.graph.outputs[0]!);
    const n = checkLabeledData(this.model, data, classes, 'fit data');
    if (opts.validationData !== undefined) checkLabeledData(this.model, opts.validationData, classes, 'validationData');

    const { graph, session } = await this.trainingGraph(optimizer, auxLossWeight);
    const state = new CarriedState(graph.state, (e) => this.initialValue(e, opts.optimizerState));
    const history: EpochLogs[] = [];
    const stepsPerEpoch = Math.ceil(n / batchSize);
    let stopped = false;
    const save = async (): Promise<TensorMap> => {
      this.writeBack(state);
      const slots: TensorMap = new Map();
      for (const e of [...state.entries('slot'), ...state.entries('global')]) slots.set(e.name, { shape: convzooShape(e), data: fromGraphLayout(e, state.get(e.name)) });
      return slots;
    };
    try {
      for (let epoch = initialEpoch; epoch < epochs && !stopped; epoch++) {
        let loss = 0;
        let correct = 0;
        let lr = 0;
        let batch = 0;
        for (const indices of batches(epochOrder(n, shuffle, seed, epoch), batchSize)) {
          if (opts.signal?.aborted) {
            stopped = true;
            break;
          }
          const step = epoch * stepsPerEpoch + batch;
          lr = learningRateAt(learningRate, { epoch, step, totalSteps: epochs * stepsPerEpoch });
          const feeds: Record<string, Tensor> = {
            ...this.batchFeeds(data, indices),
            [LEARNING_RATE]: new Tensor('float32', Float32Array.of(lr), []),
          };
          state.feed(feeds);
          dropoutMasks(graph.masks, indices.length, seed, step, feeds);
          // session.run yields to the event loop (timers, signals) before it runs.
          const out = await session.run(feeds, { ...state.fetches(), [LOSS]: null, [CORRECT]: null });
          state.swap();
          const l = (out[LOSS]!.data as Float32Array)[0]!;
          const c = (out[CORRECT]!.data as Float32Array)[0]!;
          loss += l * indices.length;
          correct += c;
          await opts.callbacks?.onBatchEnd?.(batch, { loss: l, accuracy: c / indices.length, learningRate: lr });
          batch++;
        }
        if (stopped) break;
        let logs: EpochLogs = { epoch, loss: loss / n, accuracy: correct / n, learningRate: lr };
        if (opts.validationData !== undefined) {
          const v = await this.evaluateWith((e) => state.get(e.name), opts.validationData, batchSize, 'validationData');
          logs = { ...logs, valLoss: v.loss, valAccuracy: v.accuracy };
        }
        history.push(logs);
        await opts.callbacks?.onEpochEnd?.(epoch, logs, { save });
      }
      return { history, optimizerState: await save(), stopped };
    } finally {
      this.writeBack(state);
    }
  }

  /** Loss and accuracy of the model as it predicts (inference mode). */
  async evaluate(data: LabeledData, opts: EvaluateOptions = {}): Promise<Evaluation> {
    const batchSize = checkBatchSize(opts.batchSize ?? 64);
    return this.evaluateWith((e) => toGraphLayout(e, this.model.weights.get(e.name)!.data), data, batchSize, 'evaluate data');
  }

  /** Releases the sessions. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const loaded = [this.training?.loaded, this.evaluation].filter((p) => p !== undefined);
    this.training = undefined;
    this.evaluation = undefined;
    for (const p of loaded) await (await p).session.release();
  }

  /** `weight` gives each parameter in the graph's layout. */
  private async evaluateWith(weight: (entry: StateEntry) => Float32Array, data: LabeledData, batchSize: number, what: string): Promise<Evaluation> {
    const { classes } = logitsOf(this.model, this.model.graph.outputs[0]!);
    const n = checkLabeledData(this.model, data, classes, what);
    this.evaluation ??= this.load(buildStepGraph(this.model, { mode: 'evaluate' }), true);
    const { graph, session } = await this.evaluation;
    const params: Record<string, Tensor> = {};
    for (const e of graph.state) params[e.name] = new Tensor('float32', weight(e), [...e.shape]);
    let loss = 0;
    let correct = 0;
    for (const indices of batches(epochOrder(n, false, 0, 0), batchSize)) {
      const out = await session.run({ ...params, ...this.batchFeeds(data, indices) });
      loss += (out[LOSS]!.data as Float32Array)[0]!;
      correct += (out[CORRECT]!.data as Float32Array)[0]!;
    }
    return { loss: loss / n, accuracy: correct / n };
  }

  /** The samples at `indices` as the graph's `x` and `labels` (int64). */
  private batchFeeds(data: LabeledData, indices: Uint32Array): Record<string, Tensor> {
    const b = gatherBatch(data, indices);
    return {
      [INPUT]: new Tensor('float32', b.x, [indices.length, ...this.model.inputShape]),
      [LABELS]: new Tensor('int64', BigInt64Array.from(b.y, (v) => BigInt(v)), [indices.length]),
    };
  }

  /** The training-step session for this optimizer and loss: built on first use, kept while they stay the same. */
  private async trainingGraph(optimizer: OptimizerOptions, auxLossWeight: number): Promise<LoadedGraph> {
    const key = JSON.stringify({ optimizer, auxLossWeight });
    if (this.training?.key !== key) {
      const previous = this.training?.loaded;
      this.training = { key, loaded: this.load(buildStepGraph(this.model, { mode: 'train', optimizer, auxLossWeight }), false) };
      if (previous) await (await previous).session.release();
    }
    return this.training.loaded;
  }

  private async load(graph: StepGraph, occasional: boolean): Promise<LoadedGraph> {
    if (this.disposed) throw new ConvzooError('ARGUMENT_INVALID', 'this trainer has been disposed');
    if (this.device === 'cuda') {
      const status = await ortCudaStatus();
      if (!status.available) throw new ConvzooError('DEVICE_UNAVAILABLE', `device 'cuda' requested: ${status.reason}`);
    }
    const session = await InferenceSession.create(graph.bytes, {
      executionProviders: [this.device],
      ...(this.options.threads !== undefined ? { intraOpNumThreads: this.options.threads } : {}),
      // Evaluation runs now and then: its threads should not spin against the training session's.
      ...(occasional ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
      ...this.options.sessionOptions,
    });
    return { graph, session };
  }

  private initialValue(e: StateEntry, resumed: ReadonlyMap<string, TensorData> | undefined): Float32Array {
    if (e.kind === 'param') return toGraphLayout(e, this.model.weights.get(e.name)!.data);
    const size = sizeOf(e.shape);
    if (resumed === undefined) return new Float32Array(size).fill(e.initial ?? 0);
    const t = resumed.get(e.name);
    if (t === undefined || t.data.length !== size) {
      throw new ConvzooError(
        'ARGUMENT_INVALID',
        `optimizerState has ${t === undefined ? 'no' : `a ${t.data.length}-value`} "${e.name}" (expected ${size} values): pass the FitResult.optimizerState of an ortTrainer run with the same optimizer`,
      );
    }
    return toGraphLayout(e, t.data);
  }

  /** Writes the carried parameters and statistics into the model; masked connections stay exactly zero. */
  private writeBack(state: CarriedState): void {
    for (const e of state.entries('param')) this.model.weights.get(e.name)!.data.set(fromGraphLayout(e, state.get(e.name)));
    for (const node of this.model.nodes) {
      if (node.op === 'Conv2D' && node.attrs.connectionMask) applyConnectionMask(this.model.weight(node.name, 'kernel'), node.attrs.connectionMask);
    }
  }
}

/** A trainer for `model` on ONNX Runtime: `fit` and `evaluate` as backend-tfjs has them. */
export function ortTrainer(model: Model, options: OrtTrainerOptions = {}): OrtTrainer {
  return new OrtTrainer(model, options);
}

/**
 * Core's `Trainer` contract (the model passed to each call, as backend-tfjs takes it) over one
 * OrtTrainer per model, whose sessions stay loaded until `dispose`.
 */
export function ortTraining(options: OrtTrainerOptions = {}): Trainer & { dispose(): Promise<void> } {
  const trainers = new Map<Model, OrtTrainer>();
  const trainerFor = (model: Model): OrtTrainer => {
    let t = trainers.get(model);
    if (t === undefined) trainers.set(model, (t = new OrtTrainer(model, options)));
    return t;
  };
  return {
    fit: (model, data, opts) => trainerFor(model).fit(data, opts),
    evaluate: (model, data, opts) => trainerFor(model).evaluate(data, opts),
    async dispose() {
      for (const t of trainers.values()) await t.dispose();
      trainers.clear();
    },
  };
}
