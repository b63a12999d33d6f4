/**
 * Generates ONNX graphs that train a convzoo Model with standard operators only:
 *
 * - 'train': one optimizer step. Inputs: the batch `x` (NHWC), `labels` (int64), the
 *   `learning_rate`, the parameters and moving statistics, the optimizer slots, a mask per
 *   dropout layer. Outputs: `loss`, `correct` (accuracy count), and `next/<name>` for every
 *   parameter, statistic and slot the step changes.
 * - 'gradients': the same forward and backward pass with `grad/<param>` outputs instead of an
 *   update (and `grad/input` when asked, and every layer's output as `act/<node>` when asked):
 *   what the gradient tests compare.
 * - 'evaluate': inference mode, `loss` summed over the batch and `correct`.
 *
 * Inside, feature maps are NCHW and convolution kernels OIHW (ONNX's own layout: no kernel is
 * transposed on every step); every other parameter keeps convzoo's layout. toGraphLayout and
 * fromGraphLayout convert carried values at the boundary.
 */
import { ConvzooError, logitsOf, type GraphNode, type Model, type NodeOf, type OptimizerOptions, type ParamEntry } from '@convzoo/core';
import { BATCH_DIM } from '../graph-builder.js';
import { hwioToOihw, oihwToHwio } from '../layout.js';
import { DataType } from '../proto/proto.js';
import { crossEntropy, type Head } from './loss.js';
import { OnnxGraphBuilder } from '../graph-builder.js';
import { globalsOf, optimizerStep, slotsOf } from './optimizers.js';
import { TRAIN_OPS, type OpContext, type TrainOp } from './ops/index.js';
import type { ForwardRecord } from './ops/types.js';

export const INPUT = 'x';
export const LABELS = 'labels';
export const LEARNING_RATE = 'learning_rate';
export const LOSS = 'loss';
export const CORRECT = 'correct';
export const INPUT_GRADIENT = 'grad/input';
export const nextName = (state: string): string => `next/${state}`;
export const gradName = (param: string): string => `grad/${param}`;
export const maskName = (node: string): string => `${node}/dropout_mask`;
export const activationName = (node: string): string => `act/${node}`;

/** A float32 graph input carried from step to step (parameter, statistic, slot, global). */
export interface StateEntry {
  /** The graph input; the output replacing it is nextName(name) when `updated`. */
  readonly name: string;
  /** In the graph's layout. */
  readonly shape: readonly number[];
  /** 'oihw': a convolution kernel (or its slot), HWIO in convzoo. */
  readonly layout: 'convzoo' | 'oihw';
  readonly kind: 'param' | 'slot' | 'global';
  /** Whether the step writes a next value (trainable parameters, moving statistics, slots). */
  readonly updated: boolean;
  /** Starting value of a slot or global. */
  readonly initial?: number;
}

export interface DropoutMask {
  /** The graph input that takes the mask. */
  readonly name: string;
  /** The Dropout layer. */
  readonly node: string;
  readonly rate: number;
  /** Per-sample shape in the graph's layout ([C, H, W] or [F]). */
  readonly shape: readonly number[];
  /** Per-sample shape in convzoo's layout ([H, W, C] or [F]), as core's dropoutMask draws it. */
  readonly convzooShape: readonly number[];
}

export interface StepGraph {
  readonly bytes: Uint8Array;
  readonly state: readonly StateEntry[];
  readonly masks: readonly DropoutMask[];
  /** Trainable parameters whose gradients the graph computes. */
  readonly trainable: readonly string[];
}

/**
 * Floats per sample a convolution may spend on an im2col copy of its input for its kernel
 * gradient (16 MiB): ResNets at 224x224 stay under it; VGG's full-resolution layers take the
 * slower form that needs no copy.
 */
export const DEFAULT_IM2COL_LIMIT = 2 ** 22;

/** Frozen layers (core's resolveFreeze): constant inputs, run in inference mode, never updated. */
interface Freezing {
  readonly frozen?: ReadonlySet<string>;
}

export type StepGraphOptions = (
  | ({ readonly mode: 'train'; readonly optimizer: OptimizerOptions; readonly auxLossWeight: number } & Freezing)
  | ({
    readonly mode: 'gradients';
    readonly auxLossWeight: number;
    readonly inputGradient?: boolean;
    /** Also output each layer's training-mode forward value as `act/<node>` (NCHW maps). */
    readonly activations?: boolean;
  } & Freezing)
  | { readonly mode: 'evaluate' }
) & {
  readonly im2colLimit?: number;
  /**
   * Training-mode BatchNorm as one BatchNormalization node in training mode, computed as ONNX
   * Runtime's CPU kernel does (normalized by the biased batch variance; default true); false
   * writes it in elementwise nodes, for runtimes whose kernel differs (cuDNN's running variance is unbiased).
   */
  readonly fusedBatchNorm?: boolean;
  /**
   * ONNX Runtime's channel block where its com.microsoft.nchwc operators run (8 or 16 on x86 CPUs):
   * convolutions then take MLAS's blocked kernels (ops/nchwc.ts). Absent: plain Conv nodes only.
   */
  readonly nchwcBlock?: number;
};

const hwioOf = ([o, i, kh, kw]: readonly number[]) => [kh!, kw!, i!, o!];

/** The shape of a carried value in convzoo's layout. */
export const convzooShape = (entry: StateEntry): number[] => (entry.layout === 'oihw' ? hwioOf(entry.shape) : [...entry.shape]);

/** A carried value from convzoo's layout (a copy). */
export function toGraphLayout(entry: StateEntry, data: Float32Array): Float32Array {
  return entry.layout === 'oihw' ? hwioToOihw(data, hwioOf(entry.shape)) : data.slice();
}

/** A carried value back in convzoo's layout (a copy). */
export function fromGraphLayout(entry: StateEntry, data: Float32Array): Float32Array {
  return entry.layout === 'oihw' ? oihwToHwio(data, entry.shape as [number, number, number, number]) : data.slice();
}

/** Per-sample shape in the graph's layout: [H, W, C] maps are [C, H, W]. */
const graphShape = (shape: readonly number[]): number[] => (shape.length === 3 ? [shape[2]!, shape[0]!, shape[1]!] : [...shape]);

export function buildStepGraph(model: Model, opts: StepGraphOptions): StepGraph {
  if (model.graph.inputs.length !== 1) {
    throw new ConvzooError('UNSUPPORTED', `ONNX training needs exactly one graph input, "${model.name}" has ${model.graph.inputs.length}`);
  }
  const training = opts.mode !== 'evaluate';
  const backward = training;
  const main = logitsOf(model, model.graph.outputs[0]!);
  const auxWeight = opts.mode === 'evaluate' ? 0 : opts.auxLossWeight;
  const heads = [main, ...(opts.mode === 'evaluate' ? [] : (model.graph.trainingOutputs ?? []).map((o) => logitsOf(model, o)))];
  const nodes = model.nodesFor(heads.map((h) => h.node));
  const inputGradient = opts.mode === 'gradients' && opts.inputGradient === true;
  const activations = opts.mode === 'gradients' && opts.activations === true ? nodes.filter((n) => n.op !== 'Input') : [];

  const b = new OnnxGraphBuilder();
  // Graph inputs and outputs claim their names first; generated values get unique others.
  const batch = [BATCH_DIM] as const;
  const inputName = model.graph.inputs[0]!;
  b.input(b.reserve(INPUT), DataType.FLOAT, [...batch, ...model.inputShape]);
  b.input(b.reserve(LABELS), DataType.INT64, batch);
  const lr = opts.mode === 'train' ? b.input(b.reserve(LEARNING_RATE), DataType.FLOAT, []) : '';
  for (const name of [LOSS, CORRECT]) b.reserve(name);

  const onPath = new Set(nodes.map((n) => n.name));
  const params = model.paramEntries().filter((p) => onPath.has(p.node));
  const byKey = new Map<string, ParamEntry>(params.map((p) => [p.key, p]));
  const frozen = opts.mode === 'evaluate' ? new Set<string>() : opts.frozen ?? new Set<string>();
  const trains = (p: ParamEntry) => p.trainable && !frozen.has(p.node);
  const trainable = params.filter(trains).map((p) => p.key);
  const byNode = new Map(nodes.map((n) => [n.name, n]));
  const layoutOf = (p: ParamEntry) => (byNode.get(p.node)!.op === 'Conv2D' && p.name === 'kernel' ? 'oihw' : 'convzoo');
  const graphShapeOf = (p: ParamEntry) => (layoutOf(p) === 'oihw' ? [p.shape[3]!, p.shape[2]!, p.shape[0]!, p.shape[1]!] : p.shape);
  const state: StateEntry[] = [];
  for (const p of params) {
    b.input(b.reserve(p.key), DataType.FLOAT, graphShapeOf(p));
    // A step moves every parameter but the frozen ones; the gradient graph reports the moving statistics it moves.
    const updated = !frozen.has(p.node) && (opts.mode === 'train' || (opts.mode === 'gradients' && !p.trainable));
    state.push({ name: p.key, shape: graphShapeOf(p), layout: layoutOf(p), kind: 'param', updated });
  }
  const optimizer = opts.mode === 'train' ? opts.optimizer : undefined;
  const globals: Record<string, string> = {};
  if (optimizer) {
    for (const [name, initial] of globalsOf(optimizer)) {
      globals[name] = b.input(b.reserve(name), DataType.FLOAT, []);
      state.push({ name, shape: [], layout: 'convzoo', kind: 'global', updated: true, initial });
    }
    for (const key of trainable) {
      for (const slot of slotsOf(optimizer)) {
        const p = byKey.get(key)!;
        const name = `${key}/${slot}`;
        b.input(b.reserve(name), DataType.FLOAT, graphShapeOf(p));
        state.push({ name, shape: graphShapeOf(p), layout: layoutOf(p), kind: 'slot', updated: true, initial: 0 });
      }
    }
  }
  const masks: DropoutMask[] = [];
  for (const node of nodes) {
    if (training && node.op === 'Dropout' && node.attrs.rate > 0) {
      const convzooShape = model.shapeOf(node.inputs[0]!);
      const shape = graphShape(convzooShape);
      b.input(b.reserve(maskName(node.name)), DataType.FLOAT, [...batch, ...shape]);
      masks.push({ name: maskName(node.name), node: node.name, rate: node.attrs.rate, shape, convzooShape });
    }
  }

  for (const s of state) if (s.updated) b.reserve(nextName(s.name));
  if (opts.mode === 'gradients') for (const key of trainable) b.reserve(gradName(key));
  if (inputGradient) b.reserve(INPUT_GRADIENT);
  for (const node of activations) b.reserve(activationName(node.name));

  // Forward pass.
  const records = new Map<string, ForwardRecord>();
  const updates = new Map<string, string>();
  const contexts = new Map<string, OpContext>();
  const needsGrad = new Map<string, boolean>();
  for (const node of nodes) {
    if (node.op === 'Input') {
      const x = model.inputShape.length === 3 ? b.node('Transpose', [INPUT], `${inputName}/nchw`, { perm: { ints: [0, 3, 1, 2] } }) : INPUT;
      records.set(node.name, { x: [], y: x, saved: {} });
      needsGrad.set(node.name, inputGradient);
      continue;
    }
    const ctx: OpContext = {
      b,
      model,
      training: training && !frozen.has(node.name),
      inputShapes: node.inputs.map((i) => model.shapeOf(i)),
      outputShape: model.shapeOf(node.name),
      param: (name) => {
        const key = `${node.name}/${name}`;
        if (!byKey.has(key)) throw new Error(`training graph: no parameter "${key}"`);
        return key;
      },
      update: (name, value) => updates.set(`${node.name}/${name}`, value),
      mask: () => maskName(node.name),
      im2colLimit: opts.im2colLimit ?? DEFAULT_IM2COL_LIMIT,
      fusedBatchNorm: opts.fusedBatchNorm ?? true,
      ...(opts.nchwcBlock !== undefined ? { nchwcBlock: opts.nchwcBlock } : {}),
    };
    contexts.set(node.name, ctx);
    const op = TRAIN_OPS[node.op] as TrainOp<GraphNode['op']>;
    const x = node.inputs.map((i) => records.get(i)!.y);
    const fwd = op.forward(node as NodeOf<typeof node.op>, x, ctx);
    records.set(node.name, { x, y: fwd.y, saved: fwd.saved ?? {} });
    needsGrad.set(node.name, params.some((p) => p.node === node.name && trains(p)) || node.inputs.some((i) => needsGrad.get(i)));
  }

  for (const node of activations) {
    b.output(activationName(node.name), records.get(node.name)!.y, DataType.FLOAT, [...batch, ...graphShape(model.shapeOf(node.name))]);
  }
  const lossHeads: Head[] = heads.map((h, i) => ({ logits: records.get(h.node)!.y, classes: h.classes, weight: i === 0 ? 1 : auxWeight }));
  const loss = crossEntropy(b, lossHeads, LABELS, { mean: training, gradients: backward });
  b.output(LOSS, loss.loss, DataType.FLOAT, []);
  b.output(CORRECT, loss.correct, DataType.FLOAT, []);
  if (!backward) return { bytes: b.bytes(`${model.name}_evaluate`), state, masks, trainable: [] };

  // Backward pass: gradients of each value, summed over its consumers.
  const pending = new Map<string, string[]>();
  const contribute = (value: string, g: string) => pending.set(value, [...(pending.get(value) ?? []), g]);
  heads.forEach((h, i) => contribute(h.node, loss.grads[i]!));
  const grads = new Map<string, string>();
  for (const node of [...nodes].reverse()) {
    const parts = pending.get(node.name);
    if (parts === undefined || !needsGrad.get(node.name)) continue;
    const dy = parts.length === 1 ? parts[0]! : b.node('Sum', parts, `${node.name}/dy`);
    if (node.op === 'Input') {
      const dx = model.inputShape.length === 3 ? b.node('Transpose', [dy], `${inputName}/dx_nhwc`, { perm: { ints: [0, 2, 3, 1] } }) : dy;
      b.output(INPUT_GRADIENT, dx, DataType.FLOAT, [...batch, ...model.inputShape]);
      continue;
    }
    const op = TRAIN_OPS[node.op] as TrainOp<GraphNode['op']>;
    const needs = node.inputs.map((i) => needsGrad.get(i)!);
    const r = op.backward(node as NodeOf<typeof node.op>, dy, records.get(node.name)!, needs, contexts.get(node.name)!);
    node.inputs.forEach((input, i) => {
      const g = r.inputs?.[i];
      if (needs[i] && g !== undefined) contribute(input, g);
    });
    for (const [param, g] of Object.entries(r.params ?? {})) grads.set(`${node.name}/${param}`, g);
  }
  for (const key of trainable) {
    if (!grads.has(key)) throw new Error(`training graph: no gradient reached "${key}"`);
  }

  const shapeOf = (key: string) => graphShapeOf(byKey.get(key)!);
  if (opts.mode === 'gradients') {
    for (const key of trainable) b.output(gradName(key), grads.get(key)!, DataType.FLOAT, shapeOf(key));
    for (const [key, value] of updates) b.output(nextName(key), value, DataType.FLOAT, shapeOf(key));
    return { bytes: b.bytes(`${model.name}_gradients`), state, masks, trainable };
  }

  const step = optimizerStep(b, optimizer!, lr, globals);
  for (const key of trainable) {
    const slots = Object.fromEntries(slotsOf(optimizer!).map((s) => [s, `${key}/${s}`]));
    const u = step.update(key, key, grads.get(key)!, slots, shapeOf(key).length);
    b.output(nextName(key), u.value, DataType.FLOAT, shapeOf(key));
    for (const [slot, value] of Object.entries(u.slots)) b.output(nextName(`${key}/${slot}`), value, DataType.FLOAT, shapeOf(key));
  }
  for (const [key, value] of updates) b.output(nextName(key), value, DataType.FLOAT, shapeOf(key));
  for (const [name, value] of Object.entries(step.globals)) b.output(nextName(name), value, DataType.FLOAT, []);
  return { bytes: b.bytes(`${model.name}_train_step`), state, masks, trainable };
}
