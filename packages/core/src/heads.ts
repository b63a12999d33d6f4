/**
 * Pieces every architecture builder shares: the Keras-Applications-style top (includeTop,
 * pooling, classifierActivation), timm-style feature outputs, and input-option checks.
 */
import { ConvzooError } from './errors.js';
import type { GraphBuilder, SymbolicTensor } from './graph/builder.js';
import type { ModelOptions } from './registry.js';

/** A named stage output a builder can return as a feature map. */
export interface Stage {
  readonly name: string;
  readonly tensor: SymbolicTensor;
}

/**
 * The outputs requested by `features`: every stage for true, the named ones (in the order
 * given) for a list; an unknown name is an error listing the stages.
 */
export function selectFeatures(stages: readonly Stage[], features: true | readonly string[]): SymbolicTensor[] {
  if (features === true) return stages.map((s) => s.tensor);
  if (features.length === 0) {
    throw new ConvzooError('ARGUMENT_INVALID', `features must name at least one stage; expected some of: ${stages.map((st) => st.name).join(', ')}`);
  }
  return features.map((name) => {
    const s = stages.find((st) => st.name === name);
    if (s === undefined) {
      throw new ConvzooError('ARGUMENT_INVALID', `unknown feature stage "${name}"; expected one of: ${stages.map((st) => st.name).join(', ')}`);
    }
    return s.tensor;
  });
}

/** includeTop false: global 'avg' / 'max' pooling to a vector, or the raw feature map. */
export function poolFeatures(g: GraphBuilder, x: SymbolicTensor, pooling: ModelOptions['pooling']): SymbolicTensor {
  if (pooling === 'avg') return g.globalAvgPool2d(x, 'global_pool');
  if (pooling === 'max') {
    const [h, w] = x.shape as [number, number];
    return g.flatten(g.maxPool2d(x, { poolSize: [h, w], name: 'global_max_pool' }), 'global_pool');
  }
  return x;
}

/**
 * Logits by default (torchvision); a softmax node named `name` with 'softmax' (Keras). Heads
 * beside the main one (GoogLeNet's auxiliary classifiers) pass their own name.
 */
export function classifierOutput(
  g: GraphBuilder, logits: SymbolicTensor, activation: ModelOptions['classifierActivation'], name = 'predictions',
): SymbolicTensor {
  if (activation === undefined || activation === 'linear') return logits;
  if (activation !== 'softmax') {
    throw new ConvzooError('ARGUMENT_INVALID', `classifierActivation must be 'linear' or 'softmax', got ${JSON.stringify(activation)}`);
  }
  return g.activation(logits, 'softmax', name);
}

/**
 * A builder's outputs as the options ask: the `features` stages, the pooled last map
 * (includeTop false), or else the classifier, whose layers up to the logits `logits(x)` adds
 * (classifierActivation then applies on top).
 */
export function modelOutputs(
  g: GraphBuilder, x: SymbolicTensor, stages: readonly Stage[], options: ModelOptions, logits: (x: SymbolicTensor) => SymbolicTensor,
): SymbolicTensor[] {
  if (options.features !== undefined && options.features !== false) return selectFeatures(stages, options.features);
  if (options.includeTop === false) return [poolFeatures(g, x, options.pooling)];
  return [classifierOutput(g, logits(x), options.classifierActivation)];
}

/** Checks the common numeric options and returns the input shape to build with. */
export function resolveInput(name: string, opts: ModelOptions, defaultShape: readonly [number, number, number]): [number, number, number] {
  const shape = opts.inputShape ?? defaultShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ConvzooError('ARGUMENT_INVALID', `${name}: inputShape must be [H, W, C] of positive integers, got ${JSON.stringify(shape)}`);
  }
  if (opts.numClasses !== undefined && !(Number.isInteger(opts.numClasses) && opts.numClasses >= 1)) {
    throw new ConvzooError('ARGUMENT_INVALID', `${name}: numClasses must be a positive integer, got ${JSON.stringify(opts.numClasses)}`);
  }
  if (opts.dropout !== undefined && !(opts.dropout >= 0 && opts.dropout < 1)) {
    throw new ConvzooError('ARGUMENT_INVALID', `${name}: dropout must be in [0, 1), got ${JSON.stringify(opts.dropout)}`);
  }
  return [shape[0], shape[1], shape[2]];
}
