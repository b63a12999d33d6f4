import * as tf from '@tensorflow/tfjs-core';
import {
  batches, checkLabeledData, resolveEvaluateOptions, epochOrder, loadBatch, logitsOf,
  type EvaluateOptions, type Evaluation, type TrainingData, type Model,
} from '@convzoo/core';
import { useDevice, type TfjsDevice } from '../devices.js';
import { uploadParams } from '../params.js';
import { runGraph, type ParamTensors } from '../run-graph.js';
import { correctCount, softmaxCrossEntropy } from './loss.js';

/** Inference-mode loss and accuracy with parameters already on the device (fit's validation). */
export async function evaluateParams(
  model: Model, params: ParamTensors, data: TrainingData, device: TfjsDevice, batchSize: number, what: string,
): Promise<Evaluation> {
  const { node, classes } = logitsOf(model, model.graph.outputs[0]!);
  const n = checkLabeledData(model, data, classes, what);
  let loss = 0;
  let correct = 0;
  for (const indices of batches(epochOrder(n, false, 0, 0), batchSize)) {
    const batch = await loadBatch(data, indices, classes);
    await useDevice(device);
    const sums = tf.tidy(() => {
      const x = tf.tensor(batch.x, [indices.length, ...model.inputShape]);
      const labels = tf.tensor1d(batch.y, 'int32');
      const [logits] = runGraph(model, x, params, { training: false, outputs: [node] });
      // Weighting the batch mean by the batch size sums the losses.
      const batchLoss = softmaxCrossEntropy([logits!], [indices.length], tf.oneHot(labels, classes));
      return tf.stack([batchLoss, correctCount(logits!, labels)]);
    });
    const [l, c] = await sums.data();
    sums.dispose();
    loss += l!;
    correct += c!;
  }
  return { loss: loss / n, accuracy: correct / n };
}

export async function evaluate(model: Model, data: TrainingData, device: TfjsDevice, opts: EvaluateOptions): Promise<Evaluation> {
  const { batchSize } = resolveEvaluateOptions(opts);
  await useDevice(device);
  const params = uploadParams(model);
  try {
    return await evaluateParams(model, params, data, device, batchSize, 'evaluate data');
  } finally {
    tf.dispose([...params.values()]);
  }
}
