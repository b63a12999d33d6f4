import type * as tf from '@tensorflow/tfjs-core';
import type { NodeOf, OpName } from '@convzoo/core';

/** What an op kernel sees of the run it is part of. */
export interface OpContext {
  /** Training mode: batch statistics in BatchNorm, active dropout. */
  readonly training: boolean;
  /** The node's parameter `<node>/<name>` (a variable while training). */
  param(name: string): tf.Tensor;
  /** Overwrites a non-trainable parameter (BatchNorm's moving statistics, in training). */
  assign(name: string, value: tf.Tensor): void;
  /**
   * This node's inverted-dropout mask for a batch of `shape` (core's dropoutMask for the run's
   * seed and step: the masks every backend draws).
   */
  dropoutMask(rate: number, shape: readonly number[]): tf.Tensor;
}

/**
 * One IR op on tfjs, as data (the tfjs kernel-config style): `run` computes the node's output
 * from its inputs. Ops whose backward pass tfjs-core cannot derive (it ships no gradient
 * registrations to Node) define it with tf.customGrad, so training needs nothing registered.
 */
export interface OpKernel<K extends OpName> {
  readonly op: K;
  run(node: NodeOf<K>, inputs: readonly tf.Tensor[], ctx: OpContext): tf.Tensor;
  /** Why this node cannot be trained on tfjs, when it cannot. */
  trainingLimit?(node: NodeOf<K>): string | undefined;
}
