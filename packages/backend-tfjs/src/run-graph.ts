import * as tf from '@tensorflow/tfjs-core';
import { dropoutMask, type GraphNode, type Model, type NodeOf } from '@convzoo/core';
import { OP_KERNELS, type OpContext, type OpKernel } from './ops/index.js';
import { markConstant } from './ops/grad.js';

export interface RunOptions {
  /** Training mode (batch statistics, dropout, moving-statistics updates). */
  readonly training: boolean;
  /** Node names to return, in order. */
  readonly outputs: readonly string[];
  /** Which dropout masks training draws (core's dropoutMask of seed, step and layer). Default seed 0, step 0. */
  readonly dropout?: { readonly seed: number; readonly step: number };
  /** Frozen layers (core's resolveFreeze): they run in inference mode while training (BatchNorm keeps its statistics). */
  readonly frozen?: ReadonlySet<string>;
}

/** Parameters by `<node>/<param>`: constants to predict, variables to train. */
export type ParamTensors = ReadonlyMap<string, tf.Tensor>;

/**
 * Walks the model's topologically ordered nodes, each through its op kernel. At inference an
 * activation is disposed as soon as its last consumer has run, which keeps peak memory near
 * the widest layer rather than the sum of all of them; training keeps everything for the
 * backward pass. Call inside tf.tidy (or a gradient function).
 */
export function runGraph(model: Model, input: tf.Tensor, params: ParamTensors, opts: RunOptions): tf.Tensor[] {
  const nodes = model.nodesFor(opts.outputs);
  const uses = new Map<string, number>();
  for (const node of nodes) for (const i of node.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of opts.outputs) uses.set(o, Infinity);

  // A training batch needs no gradient (a variable input, as in gradient checks, does).
  if (opts.training && !(input instanceof tf.Variable)) markConstant(input);
  const values = new Map<string, tf.Tensor>();
  const { seed, step } = opts.dropout ?? { seed: 0, step: 0 };
  for (const node of nodes) {
    if (node.op === 'Input') {
      values.set(node.name, input);
      continue;
    }
    const ctx: OpContext = {
      training: opts.training && opts.frozen?.has(node.name) !== true,
      param: (name) => {
        const t = params.get(`${node.name}/${name}`);
        if (t === undefined) throw new Error(`no parameter "${node.name}/${name}"`);
        return t;
      },
      assign: (name, value) => (ctx.param(name) as tf.Variable).assign(value),
      dropoutMask: (rate, shape) => tf.tensor(dropoutMask(seed, step, node.name, rate, shape), [...shape]),
    };
    const kernel = OP_KERNELS[node.op] as OpKernel<GraphNode['op']>;
    const out = kernel.run(node as NodeOf<typeof node.op>, node.inputs.map((i) => values.get(i)!), ctx);
    values.set(node.name, out);
    if (!opts.training) {
      for (const i of node.inputs) {
        const left = uses.get(i)! - 1;
        uses.set(i, left);
        if (left === 0 && values.get(i) !== input) values.get(i)!.dispose();
      }
    }
  }
  return opts.outputs.map((o) => values.get(o)!);
}
