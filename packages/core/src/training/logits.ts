import { ConvzooError } from '../errors.js';
import type { Model } from '../model.js';

/**
 * The logits behind a classifier output: the input of a final softmax (trainers train and score
 * from logits, for stability), or the output itself. Returns the node name and the class count.
 */
export function logitsOf(model: Model, output: string): { node: string; classes: number } {
  const node = model.nodes.find((n) => n.name === output)!;
  const logits = node.op === 'Activation' && node.attrs.fn === 'softmax' ? node.inputs[0]! : output;
  const shape = model.shapeOf(logits);
  if (shape.length !== 1) {
    throw new ConvzooError('ARGUMENT_INVALID', `training needs classifier outputs of shape [classes]; "${output}" has shape [${shape.join(', ')}]`);
  }
  return { node: logits, classes: shape[0]! };
}
