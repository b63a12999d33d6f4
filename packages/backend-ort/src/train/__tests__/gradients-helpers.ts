/**
 * The two sides of the gradient parity tests: backend-tfjs's training forward pass and its
 * hand-written backward passes (tf.variableGrads over its graph runner, with its softmax
 * cross-entropy), and the generated ONNX gradient graph run by ONNX Runtime. Both see the same
 * batch, labels and dropout masks (core's, as every backend draws them), and tfjs can
 * be told to take ONNX Runtime's branches at ReLU and max-pool kinks (shared-kinks.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { dropoutMask, logitsOf, rng, sizeOf, type Model, type TensorData } from '@convzoo/core';
import { tfjs } from '@convzoo/backend-tfjs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { runGraph, softmaxCrossEntropy } from '@convzoo/backend-tfjs/testing';
import { activationName, buildStepGraph, fromGraphLayout, gradName, INPUT, INPUT_GRADIENT, LABELS, nextName, toGraphLayout } from '@convzoo/onnx/train';
import { ortNchwcBlock } from '../../node.js';
import { withBranchesOf } from './shared-kinks.js';

export interface Batch {
  readonly x: TensorData;
  readonly labels: readonly number[];
}

export interface GradientRun {
  /** By parameter key, plus 'input'; moving statistics after the step by `next/<key>`. */
  readonly values: Map<string, Float32Array>;
  readonly loss: number;
}

const TF_SEED = 9;

/** The heads fit trains on: the main classifier's logits, then the training-only heads. */
function heads(model: Model): string[] {
  return [model.graph.outputs[0]!, ...(model.graph.trainingOutputs ?? [])].map((o) => logitsOf(model, o).node);
}

/** The dropout masks both sides draw at step 0 of seed TF_SEED (core's dropoutMask), NCHW like the ONNX graph's. */
export async function tfjsDropoutMasks(model: Model, n: number): Promise<Map<string, Float32Array>> {
  await tfjs({ device: 'cpu' }).device();
  const masks = new Map<string, Float32Array>();
  for (const node of model.nodes) {
    if (node.op !== 'Dropout' || node.attrs.rate === 0) continue;
    const shape = [n, ...model.shapeOf(node.inputs[0]!)];
    const m = dropoutMask(TF_SEED, 0, node.name, node.attrs.rate, shape);
    masks.set(node.name, tf.tidy(() => {
      const t = tf.tensor(m, shape);
      return (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t).dataSync() as Float32Array;
    }));
  }
  return masks;
}

export interface TfjsGradientOptions {
  readonly auxLossWeight?: number;
  /** ONNX Runtime's forward values by node (ortGradients' `activations`): take their branches at every kink. */
  readonly branches?: ReadonlyMap<string, Float32Array>;
}

/**
 * tfjs cpu computes in plain float32 loops (the tightest reference, slow on convolutions);
 * wasm (with backend-tfjs's filter-gradient kernel) serves the whole architectures. With
 * `branches`, `own` holds tfjs's own forward values at the kinks.
 */
export async function tfjsGradients(
  model: Model, batch: Batch, device: 'cpu' | 'wasm', opts: TfjsGradientOptions = {},
): Promise<GradientRun & { own?: Map<string, Float32Array> }> {
  const run = async (): Promise<GradientRun> => {
    await tfjs({ device }).device();
    await tf.setBackend(device);
    const auxLossWeight = opts.auxLossWeight ?? 0.3;
    const vars = new Map(model.paramEntries().map((p) => {
      const t = model.weights.get(p.key)!;
      return [p.key, tf.tidy(() => tf.variable(tf.tensor(t.data, [...t.shape]), p.trainable))] as const;
    }));
    const x = tf.tidy(() => tf.variable(tf.tensor(batch.x.data, [...batch.x.shape])));
    const outputs = heads(model);
    const onehot = tf.tidy(() => tf.oneHot(tf.tensor1d([...batch.labels], 'int32'), model.shapeOf(outputs[0]!)[0]!));
    const targets = new Map([['input', x], ...[...vars].filter(([key]) => model.paramEntries().find((p) => p.key === key)!.trainable)]);
    const { value, grads } = tf.variableGrads(() => {
      const logits = runGraph(model, x, vars, { training: true, outputs, dropout: { seed: TF_SEED, step: 0 } });
      return softmaxCrossEntropy(logits, outputs.map((_, i) => (i === 0 ? 1 : auxLossWeight)), onehot);
    }, [...targets.values()]);
    const values = new Map<string, Float32Array>();
    for (const [key, v] of targets) values.set(key, grads[v.name]!.dataSync() as Float32Array);
    for (const p of model.paramEntries()) if (!p.trainable) values.set(nextName(p.key), vars.get(p.key)!.dataSync() as Float32Array);
    const loss = (await value.data())[0]!;
    tf.dispose([value, x, onehot, ...Object.values(grads), ...vars.values()]);
    return { values, loss };
  };
  return opts.branches === undefined ? run() : withBranchesOf(opts.branches, run);
}

export interface OrtGradientOptions {
  readonly auxLossWeight?: number;
  /** 0 takes the convolution form of every kernel gradient (see ops/conv2d.ts). */
  readonly im2colLimit?: number;
  /** false writes training-mode BatchNorm in elementwise nodes (as on CUDA), not ONNX Runtime's fused kernel. */
  readonly fusedBatchNorm?: boolean;
  /** Also return every layer's forward value (NHWC) by node. */
  readonly activations?: boolean;
  /** The channel block of the blocked convolutions (default: ONNX Runtime's on this CPU, as fit takes them); null: plain Conv. */
  readonly nchwcBlock?: number | null;
}

export async function ortGradients(
  model: Model, batch: Batch, masks: ReadonlyMap<string, Float32Array>, opts: OrtGradientOptions = {},
): Promise<GradientRun & { activations: Map<string, Float32Array> }> {
  const block = opts.nchwcBlock === undefined ? await ortNchwcBlock() : opts.nchwcBlock ?? undefined;
  const graph = buildStepGraph(model, {
    mode: 'gradients', auxLossWeight: opts.auxLossWeight ?? 0.3, inputGradient: true, activations: opts.activations === true,
    ...(opts.im2colLimit !== undefined ? { im2colLimit: opts.im2colLimit } : {}),
    ...(opts.fusedBatchNorm !== undefined ? { fusedBatchNorm: opts.fusedBatchNorm } : {}),
    ...(block !== undefined ? { nchwcBlock: block } : {}),
  });
  const session = await InferenceSession.create(graph.bytes, { intraOpNumThreads: 1 });
  const n = batch.labels.length;
  const feeds: Record<string, Tensor> = {
    [INPUT]: new Tensor('float32', batch.x.data, [...batch.x.shape]),
    [LABELS]: new Tensor('int64', BigInt64Array.from(batch.labels.map(BigInt)), [n]),
  };
  for (const s of graph.state) feeds[s.name] = new Tensor('float32', toGraphLayout(s, model.weights.get(s.name)!.data), [...s.shape]);
  for (const m of graph.masks) {
    const node = m.name.slice(0, m.name.indexOf('/'));
    feeds[m.name] = new Tensor('float32', masks.get(node)!, [n, ...m.shape]);
  }
  try {
    const out = await session.run(feeds);
    const values = new Map<string, Float32Array>([['input', out[INPUT_GRADIENT]!.data as Float32Array]]);
    for (const s of graph.state) {
      if (graph.trainable.includes(s.name)) values.set(s.name, fromGraphLayout(s, out[gradName(s.name)]!.data as Float32Array));
      if (s.updated) values.set(nextName(s.name), fromGraphLayout(s, out[nextName(s.name)]!.data as Float32Array));
    }
    const activations = new Map<string, Float32Array>();
    for (const [name, t] of Object.entries(out)) {
      if (!name.startsWith(activationName(''))) continue;
      const data = t.data as Float32Array;
      activations.set(name.slice(activationName('').length), t.dims.length === 4 ? nchwToNhwc(data, t.dims) : data);
    }
    return { values, loss: (out['loss']!.data as Float32Array)[0]!, activations };
  } finally {
    await session.release();
  }
}

function nchwToNhwc(data: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++) for (let ch = 0; ch < c!; ch++) for (let p = 0; p < h! * w!; p++) out[(b * h! * w! + p) * c! + ch] = data[(b * c! + ch) * h! * w! + p]!;
  return out;
}

/** A seeded batch of n samples (uniform in [-1, 1], or distinct values spaced 0.1 apart) with labels 0, 1, 2, ... */
export function makeBatch(model: Model, n: number, kind: 'uniform' | 'spaced' = 'uniform', seed = 11): Batch {
  const size = n * sizeOf(model.inputShape);
  const next = rng(seed, 'batch');
  let data: Float32Array;
  if (kind === 'spaced') {
    // A shuffled ramp: no ties for max pooling, nothing at relu's kink.
    const values = Array.from({ length: size }, (_, i) => (i - size / 2 + 0.5) * 0.1);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    data = Float32Array.from(values);
  } else {
    data = Float32Array.from({ length: size }, () => 2 * next() - 1);
  }
  const classes = model.shapeOf(logitsOf(model, model.graph.outputs[0]!).node)[0]!;
  return { x: { shape: [n, ...model.inputShape], data }, labels: Array.from({ length: n }, (_, i) => i % classes) };
}
