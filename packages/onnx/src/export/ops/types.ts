/**
 * An emitter writes the ONNX nodes (NCHW) that compute one convzoo op. Feature maps are NCHW
 * inside the exported graph; vectors are [N, F].
 */
import type { Model, NodeOf, OpName } from '@convzoo/core';
import type { OnnxGraphBuilder } from '../../graph-builder.js';

/** An exported value. */
export interface Value {
  readonly name: string;
  /**
   * Set when the value is an NCHW flatten of a [H, W, C] map: its elements are a permutation of
   * convzoo's channels-last flatten. A following Dense absorbs it by permuting kernel rows.
   */
  readonly flatFrom?: readonly [number, number, number];
}

export interface EmitContext {
  readonly model: Model;
  readonly g: OnnxGraphBuilder;
  /** The BatchNorm folded into this Conv2D or Dense, if any. */
  foldedInto(node: string): NodeOf<'BatchNorm'> | undefined;
  isFolded(batchNorm: string): boolean;
  /** The value in convzoo's element order (undoes a pending NCHW flatten). */
  plain(v: Value): Value;
}

export type Emit<K extends OpName> = (node: NodeOf<K>, inputs: readonly Value[], ctx: EmitContext) => Value;
