import type { Emitter } from '../emitter.js';
import { pyFloat } from '../python.js';

/** BatchNorm2d on maps, BatchNorm1d on features; convzoo's momentum is Keras' decay, torch's is 1 - decay. */
export const batchNorm: Emitter<'BatchNorm'> = (node, { inputShapes }) => {
  const shape = inputShapes[0]!;
  const kind = shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
  const momentum = Number((1 - node.attrs.momentum).toPrecision(12));
  return {
    module: `nn.${kind}(${shape[shape.length - 1]}, eps=${pyFloat(node.attrs.epsilon)}, momentum=${pyFloat(momentum)})`,
    forward: ([x], m) => `${m}(${x})`,
  };
};
