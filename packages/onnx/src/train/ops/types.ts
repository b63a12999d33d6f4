/**
 * One convzoo op in a generated training graph: `forward` writes the ONNX nodes of its
 * output (feature maps NCHW [N, C, H, W], vectors [N, F]) and names what its backward pass
 * reads; `backward` writes the nodes of the gradients of its inputs and parameters.
 */
import type { Model, NodeOf, OpName, Shape } from '@convzoo/core';
import type { OnnxGraphBuilder } from '../../graph-builder.js';

export interface OpContext {
  readonly b: OnnxGraphBuilder;
  readonly model: Model;
  /** Training mode: batch statistics in BatchNorm, active dropout. */
  readonly training: boolean;
  /** Per-sample convzoo (NHWC) shapes of the node's inputs and output. */
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
  /** The graph input holding parameter `<node>/<name>`, in convzoo layout (kernels HWIO). */
  param(name: string): string;
  /** Training: `value` replaces the non-trainable parameter `<node>/<name>` after the step. */
  update(name: string, value: string): void;
  /** Training: the graph input holding this node's dropout mask (the shape of its input). */
  mask(): string;
  /** Floats per sample a layer may spend on an im2col copy of its input (convolution kernel gradients). */
  readonly im2colLimit: number;
  /** Training-mode BatchNorm as one fused BatchNormalization node (StepGraphOptions.fusedBatchNorm). */
  readonly fusedBatchNorm: boolean;
  /** Convolutions in ONNX Runtime's blocked layout with this channel block (StepGraphOptions.nchwcBlock). */
  readonly nchwcBlock?: number;
}

export interface Forward {
  readonly y: string;
  /** Values the backward pass reads besides the inputs and the output. */
  readonly saved?: Readonly<Record<string, string>>;
}

export interface ForwardRecord {
  readonly x: readonly string[];
  readonly y: string;
  readonly saved: Readonly<Record<string, string>>;
}

export interface Backward {
  /** One gradient per input; undefined where `needs` says it is not wanted. */
  readonly inputs?: readonly (string | undefined)[];
  /** The gradient of each trainable parameter by name, in convzoo layout. */
  readonly params?: Readonly<Record<string, string>>;
}

export interface TrainOp<K extends OpName> {
  forward(node: NodeOf<K>, x: readonly string[], ctx: OpContext): Forward;
  /** `needs[i]`: whether input i's gradient is wanted (no gradient flows into the image). */
  backward(node: NodeOf<K>, dy: string, fwd: ForwardRecord, needs: readonly boolean[], ctx: OpContext): Backward;
}
