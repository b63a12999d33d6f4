/**
 * Training one model on ONNX Runtime: the model's training step is generated once as an ONNX
 * graph (forward, backward, optimizer update; @convzoo/onnx/train), loaded into one session,
 * and run batch after batch with the weights and optimizer slots carried between runs as
 * tensors. Options, defaults and dropout masks come from core, as on every backend.
 */
import {
  applyConnectionMask, batches, checkLabeledData, ConvzooError, dropoutMask, epochOrder, loadBatch, logitsOf,
  resolveEvaluateOptions, resolveFitOptions, resolveFreeze, runFitLoop, sizeOf,
  type EvaluateOptions, type Evaluation, type FitOptions, type FitResult, type TrainingData, type Model,
  type OptimizerOptions, type TensorData, type TensorMap,
} from '@convzoo/core';
import {
  buildStepGraph, convzooShape, CORRECT, fromGraphLayout, INPUT, LABELS, LEARNING_RATE, LOSS, toGraphLayout,
  type DropoutMask, type StepGraph, type StateEntry,
} from '@convzoo/onnx/train';
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { CarriedState } from './carried-state.js';
import type { Sessions } from './sessions.js';

interface LoadedGraph {
  readonly graph: StepGraph;
  readonly session: InferenceSession;
}

/**
 * Core's dropout mask of each layer at this step (NHWC), in the graph's layout (NCHW maps).
 */
function dropoutFeeds(TensorClass: typeof Tensor, masks: readonly DropoutMask[], n: number, seed: number, step: number, feeds: Record<string, Tensor>): void {
  for (const m of masks) {
    const shape = [n, ...m.convzooShape];
    let data = dropoutMask(seed, step, m.node, m.rate, shape);
    if (shape.length === 4) data = nhwcToNchw(data, shape as [number, number, number, number]);
    feeds[m.name] = new TensorClass('float32', data, [n, ...m.shape]);
  }
}

function nhwcToNchw(data: Float32Array, [n, h, w, c]: readonly [number, number, number, number]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) out[(b * c + ch) * h * w + p] = data[(b * h * w + p) * c + ch]!;
  }
  return out;
}

/** The training and evaluation sessions of one model, kept while the optimizer stays the same. */
export class ModelTrainer<D extends string> {
  private training: { key: string; loaded: Promise<LoadedGraph> } | undefined;
  private evaluation: Promise<LoadedGraph> | undefined;
  private disposed = false;

  constructor(readonly model: Model, private readonly sessions: Sessions<D>) {
    sessions.check(model);
    logitsOf(model, model.graph.outputs[0]!);
  }

  /** Where the graphs run: never a silent fallback. */
  get device(): D {
    return this.sessions.device;
  }

  /**
   * Trains the model with softmax cross-entropy on its classifier output (plus its training-only
   * heads, weighted by auxLossWeight), then writes every weight, moving statistics included,
   * back into `model.weights` in place.
   */
  async fit(data: TrainingData, opts: FitOptions = {}): Promise<FitResult> {
    const fit = resolveFitOptions(opts);
    const { classes } = logitsOf(this.model, this.model.graph.outputs[0]!);
    const n = checkLabeledData(this.model, data, classes, 'fit data');
    const validation = opts.validationData;
    if (validation !== undefined) checkLabeledData(this.model, validation, classes, 'validationData');
    const frozen = resolveFreeze(this.model, opts.freeze);

    const { graph, session } = await this.trainingGraph(fit.optimizer, fit.auxLossWeight, frozen);
    const { Tensor, fillsPreallocatedOutputs } = this.sessions.runtime;
    const state = new CarriedState(Tensor, fillsPreallocatedOutputs, graph.state, (e) => this.initialValue(e, opts.optimizerState));
    const save = async (): Promise<TensorMap> => {
      this.writeBack(state);
      const slots: TensorMap = new Map();
      for (const e of [...state.entries('slot'), ...state.entries('global')]) slots.set(e.name, { shape: convzooShape(e), data: fromGraphLayout(e, state.get(e.name)) });
      return slots;
    };
    try {
      const { history, stopped } = await runFitLoop(n, fit, opts, {
        data,
        classes,
        save,
        step: async ({ indices, batch, step, learningRate }) => {
          const feeds: Record<string, Tensor> = { ...this.batchFeeds(batch, indices.length), [LEARNING_RATE]: new Tensor('float32', Float32Array.of(learningRate), []) };
          state.feed(feeds);
          dropoutFeeds(Tensor, graph.masks, indices.length, fit.seed, step, feeds);
          // session.run yields to the event loop (timers, signals) before it runs.
          const out = await session.run(feeds, { ...state.fetches(), [LOSS]: null, [CORRECT]: null });
          state.swap(out);
          return { loss: (out[LOSS]!.data as Float32Array)[0]!, correct: (out[CORRECT]!.data as Float32Array)[0]! };
        },
        ...(validation !== undefined
          ? { validate: () => this.evaluateWith((e) => state.get(e.name), validation, fit.batchSize, 'validationData') }
          : {}),
      });
      return { history, optimizerState: await save(), stopped };
    } finally {
      this.writeBack(state);
    }
  }

  /** Loss and accuracy of the model as it predicts (inference mode). */
  async evaluate(data: TrainingData, opts: EvaluateOptions = {}): Promise<Evaluation> {
    const { batchSize } = resolveEvaluateOptions(opts);
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
  private async evaluateWith(weight: (entry: StateEntry) => Float32Array, data: TrainingData, batchSize: number, what: string): Promise<Evaluation> {
    const { classes } = logitsOf(this.model, this.model.graph.outputs[0]!);
    const n = checkLabeledData(this.model, data, classes, what);
    this.evaluation ??= this.load(buildStepGraph(this.model, { mode: 'evaluate' }), true);
    const { graph, session } = await this.evaluation;
    const params: Record<string, Tensor> = {};
    for (const e of graph.state) params[e.name] = new this.sessions.runtime.Tensor('float32', weight(e), [...e.shape]);
    let loss = 0;
    let correct = 0;
    for (const indices of batches(epochOrder(n, false, 0, 0), batchSize)) {
      const out = await session.run({ ...params, ...this.batchFeeds(await loadBatch(data, indices, classes), indices.length) });
      loss += (out[LOSS]!.data as Float32Array)[0]!;
      correct += (out[CORRECT]!.data as Float32Array)[0]!;
    }
    return { loss: loss / n, accuracy: correct / n };
  }

  /** `n` loaded samples as the graph's `x` and `labels` (int64). */
  private batchFeeds(b: { readonly x: Float32Array; readonly y: Int32Array }, n: number): Record<string, Tensor> {
    const { Tensor } = this.sessions.runtime;
    return {
      [INPUT]: new Tensor('float32', b.x, [n, ...this.model.inputShape]),
      [LABELS]: new Tensor('int64', BigInt64Array.from(b.y, (v) => BigInt(v)), [n]),
    };
  }

  /**
   * The training-step session for this optimizer, loss and frozen set: built on first use, kept
   * while they stay the same.
   */
  private async trainingGraph(optimizer: OptimizerOptions, auxLossWeight: number, frozen: ReadonlySet<string>): Promise<LoadedGraph> {
    const key = JSON.stringify({ optimizer, auxLossWeight, frozen: [...frozen] });
    if (this.training?.key !== key) {
      const previous = this.training?.loaded;
      this.training = { key, loaded: this.stepGraph(optimizer, auxLossWeight, frozen).then((graph) => this.load(graph, false)) };
      if (previous) await (await previous).session.release();
    }
    return this.training.loaded;
  }

  /** BatchNorm's fused kernel and the blocked convolutions are ONNX Runtime's CPU kernels (cuDNN's BatchNorm differs). */
  private async stepGraph(optimizer: OptimizerOptions, auxLossWeight: number, frozen: ReadonlySet<string>): Promise<StepGraph> {
    const cpu = this.device === 'cpu';
    const block = cpu ? await this.sessions.runtime.nchwcBlock?.() : undefined;
    return buildStepGraph(this.model, { mode: 'train', optimizer, auxLossWeight, frozen, fusedBatchNorm: cpu, ...(block !== undefined ? { nchwcBlock: block } : {}) });
  }

  private async load(graph: StepGraph, occasional: boolean): Promise<LoadedGraph> {
    if (this.disposed) throw new ConvzooError('ARGUMENT_INVALID', 'this trainer has been disposed');
    return { graph, session: await this.sessions.open(graph.bytes, occasional) };
  }

  private initialValue(e: StateEntry, resumed: ReadonlyMap<string, TensorData> | undefined): Float32Array {
    if (e.kind === 'param') return toGraphLayout(e, this.model.weights.get(e.name)!.data);
    const size = sizeOf(e.shape);
    if (resumed === undefined) return new Float32Array(size).fill(e.initial ?? 0);
    const t = resumed.get(e.name);
    if (t === undefined || t.data.length !== size) {
      throw new ConvzooError(
        'ARGUMENT_INVALID',
        `optimizerState has ${t === undefined ? 'no' : `a ${t.data.length}-value`} "${e.name}" (expected ${size} values): pass the FitResult.optimizerState of an ort run with the same optimizer`,
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
