import type { NodeOf, OpName, Shape } from '@convzoo/core';

/** What a node needs of the module and where it reads its inputs, all shapes NHWC without the batch. */
export interface EmitContext {
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
}

/** One node's Python: the submodule it owns (if any) and its forward() expression. */
export interface Emitted {
  /** Constructor expression of the node's nn.Module (nodes with parameters), e.g. `nn.Linear(400, 120)`. */
  readonly module?: string;
  /** The forward expression from the input variables and the module's access expression. */
  forward(inputs: readonly string[], module: string): string;
}

export type Emitter<K extends OpName> = (node: NodeOf<K>, ctx: EmitContext) => Emitted;
