import * as tf from '@tensorflow/tfjs-core';
import {
  checkLabeledData, ConvzooError, learningRateAt, logitsOf, resolveFitOptions, resolveFreeze, runFitLoop,
  type EpochLogs, type FitOptions, type FitResult, type GraphNode, type TrainingData, type Model, type NodeOf, type TensorMap,
} from '@convzoo/core';
import { useDevice, type TfjsDevice } from '../devices.js';
import { OP_KERNELS, type OpKernel } from '../ops/index.js';
import { downloadParams } from '../params.js';
import { runGraph } from '../run-graph.js';
import { evaluateParams } from './evaluate.js';
import { correctCount, softmaxCrossEntropy } from './loss.js';
import { createOptimizer } from './optimizers.js';

const nextMacrotask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Refuses a graph that has a node tfjs cannot train, naming it. */
function checkTrainable(nodes: readonly GraphNode[]): void {
  for (const node of nodes) {
    if (node.op === 'Input') continue;
    const limit = (OP_KERNELS[node.op] as OpKernel<GraphNode['op']>).trainingLimit?.(node as NodeOf<typeof node.op>);
    if (limit !== undefined) throw new ConvzooError('UNSUPPORTED', `node "${node.name}" (${node.op}) cannot be trained on tfjs: ${limit}`);
  }
}

/**
 * Trains the model with softmax cross-entropy on its classifier output (plus its training-only
 * heads, weighted by auxLossWeight), then writes every weight, moving statistics included,
 * back into `model.weights` in place.
 */
export async function fit(model: Model, data: TrainingData, device: TfjsDevice, opts: FitOptions): Promise<FitResult> {
  const resolved = resolveFitOptions(opts);
  const { optimizer: optimizerOptions, learningRate, batchSize, auxLossWeight: auxWeight, seed } = resolved;

  const main = logitsOf(model, model.graph.outputs[0]!);
  const heads = [main.node, ...(model.graph.trainingOutputs ?? []).map((o) => logitsOf(model, o).node)];
  const weights = heads.map((_, i) => (i === 0 ? 1 : auxWeight));
  checkTrainable(model.nodesFor(heads));
  const n = checkLabeledData(model, data, main.classes, 'fit data');
  const frozen = resolveFreeze(model, opts.freeze);
  if (opts.validationData !== undefined) checkLabeledData(model, opts.validationData, main.classes, 'validationData');

  await useDevice(device);
  const params = new Map<string, tf.Variable>();
  const trainable = new Map<string, tf.Variable>();
  for (const p of model.paramEntries()) {
    const t = model.weights.get(p.key)!;
    // A frozen layer's parameters are constants to the tape and the optimizer (no slots).
    const trains = p.trainable && !frozen.has(p.node);
    const v = tf.tidy(() => tf.variable(tf.tensor(t.data, [...t.shape], 'float32'), trains));
    params.set(p.key, v);
    if (trains) trainable.set(v.name, v);
  }
  const optimizer = createOptimizer(optimizerOptions, learningRateAt(learningRate, { epoch: 0, step: 0, totalSteps: 1 }));
  const keyOf = new Map([...params].map(([key, v]) => [v.name, key]));
  let result: { history: EpochLogs[]; stopped: boolean };
  let optimizerState: TensorMap = new Map();
  const syncState = async (): Promise<TensorMap> => {
    await downloadParams(model, params);
    return optimizer.saveState((name) => keyOf.get(name) ?? name);
  };
  const validation = opts.validationData;
  try {
    if (opts.optimizerState !== undefined) await optimizer.loadState(opts.optimizerState);
    result = await runFitLoop(n, resolved, opts, {
      data,
      classes: main.classes,
      save: syncState,
      // On wasm and cpu every await resolves as a microtask, which would starve timers, signal
      // handlers (Ctrl-C) and page rendering for the whole run: give the event loop a turn.
      beforeBatch: nextMacrotask,
      async step({ indices, batch: b, step, learningRate: lr }) {
        optimizer.setLearningRate(lr);
        await useDevice(device);
        const sums = tf.tidy(() => {
          const x = tf.tensor(b.x, [indices.length, ...model.inputShape]);
          const labels = tf.tensor1d(b.y, 'int32');
          const onehot = tf.oneHot(labels, main.classes);
          let hits: tf.Scalar | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const logits = runGraph(model, x, params, { training: true, outputs: heads, dropout: { seed, step }, frozen });
            hits = tf.keep(correctCount(logits[0]!, labels));
            return softmaxCrossEntropy(logits, weights, onehot);
          }, [...trainable.values()]);
          optimizer.apply(grads, trainable);
          const out = tf.stack([value, hits!]);
          hits!.dispose();
          return out;
        });
        const [l, c] = await sums.data();
        sums.dispose();
        return { loss: l!, correct: c! };
      },
      ...(validation !== undefined ? { validate: () => evaluateParams(model, params, validation, device, batchSize, 'validationData') } : {}),
    });
    optimizerState = await syncState();
  } finally {
    optimizer.dispose();
    tf.dispose([...params.values()]);
  }
  return { ...result, optimizerState };
}
