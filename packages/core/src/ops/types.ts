import type { Shape } from '../tensor.js';
import type { OpAttrs, OpName } from './attrs.js';

export type InitKind = 'heNormal' | 'glorotUniform' | 'zeros' | 'ones' | 'quarter';

/** A parameter an op owns, stored in the weights as `<node>/<name>`. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  readonly init: InitKind;
  readonly fanIn?: number;
  readonly fanOut?: number;
  /** Entries that count as parameters when some are structurally zero (a connection mask). */
  readonly count?: number;
}

/**
 * What core knows about an op: how to check its attributes, infer its output shape, list its
 * parameters and count its multiply-accumulates. Execution lives in the backends.
 */
export interface OpDef<K extends OpName> {
  readonly op: K;
  /** Exact number of inputs, or 'many' for two or more (Add, Concatenate). */
  readonly arity: number | 'many';
  checkAttrs(attrs: OpAttrs[K]): void;
  inferShape(inputs: readonly Shape[], attrs: OpAttrs[K]): Shape;
  params(inputs: readonly Shape[], attrs: OpAttrs[K]): readonly ParamSpec[];
  macs(inputs: readonly Shape[], output: Shape, attrs: OpAttrs[K]): number;
}
