import type { Emitter } from '../emitter.js';
import { pyBool } from '../python.js';

/** nn.Linear; the exported kernel's rows after a flatten are in NCHW order (@convzoo/weights torchStateDict). */
export const dense: Emitter<'Dense'> = (node, { inputShapes }) => ({
  module: `nn.Linear(${inputShapes[0]![0]}, ${node.attrs.units}, bias=${pyBool(node.attrs.useBias)})`,
  forward: ([x], m) => `${m}(${x})`,
});
