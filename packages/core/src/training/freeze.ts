/**
 * Frozen layers (fine-tuning a pretrained backbone): their parameters get no gradient, no update
 * and no optimizer slots, and a frozen BatchNorm normalises with its moving statistics, which
 * stay as they are (Keras's `trainable = False`). Decided here so that every trainer freezes the same.
 */
import { ConvzooError } from '../errors.js';
import type { Model } from '../model.js';
import { logitsOf } from './logits.js';

/** Layers with parameters, in graph order. */
function layers(model: Model): string[] {
  return [...new Set(model.paramEntries().map((p) => p.node))];
}

/**
 * Node names to freeze: 'backbone' is every layer but the classifier layer of each head (the
 * main output and the training-only ones); N is the first N layers with parameters.
 */
export function frozenLayers(model: Model, spec: 'backbone' | number): string[] {
  const all = layers(model);
  if (spec === 'backbone') {
    const heads = new Set([model.graph.outputs[0]!, ...(model.graph.trainingOutputs ?? [])].map((o) => logitsOf(model, o).node));
    return all.filter((n) => !heads.has(n));
  }
  if (!(Number.isInteger(spec) && spec >= 0 && spec < all.length)) {
    throw new ConvzooError('ARGUMENT_INVALID', `freeze must be 'backbone' or an integer in [0, ${all.length}) (${model.name} has ${all.length} layers with parameters), got ${JSON.stringify(spec)}`);
  }
  return all.slice(0, spec);
}

/**
 * Checks FitOptions.freeze against the model. A frozen BatchNorm after a trainable layer is
 * refused: gradients would have to pass through its inference form, which no trainer needs otherwise.
 */
export function resolveFreeze(model: Model, freeze: readonly string[] | undefined): ReadonlySet<string> {
  const frozen = new Set(freeze ?? []);
  const withParams = new Set(layers(model));
  for (const name of frozen) {
    if (!withParams.has(name)) throw new ConvzooError('ARGUMENT_INVALID', `freeze: "${name}" is not a layer of ${model.name} with parameters`);
  }
  const trains = new Set(model.paramEntries().filter((p) => p.trainable && !frozen.has(p.node)).map((p) => p.node));
  // Whether a trainable parameter lies at or before each node.
  const trainsAbove = new Map<string, boolean>();
  for (const node of model.nodes) {
    const above = node.inputs.some((i) => trainsAbove.get(i));
    if (node.op === 'BatchNorm' && frozen.has(node.name) && above) {
      throw new ConvzooError('ARGUMENT_INVALID', `freeze: BatchNorm "${node.name}" follows a trainable layer; freeze the layers before it too`);
    }
    trainsAbove.set(node.name, above || trains.has(node.name));
  }
  return frozen;
}
