import type { Emitter } from '../emitter.js';
import { pyBool, pyPair } from '../python.js';
import { fPad, resolvePads } from './padding.js';

/**
 * nn.Conv2d; LeNet-5's partial connectivity as MaskedConv2d (the prelude), whose mask holds the
 * structural zeros at zero in training too. Asymmetric pads ('same' with an even kernel) go
 * through F.pad, since nn.Conv2d pads both sides alike.
 */
export const conv2d: Emitter<'Conv2D'> = (node, { inputShapes }) => {
  const a = node.attrs;
  const input = inputShapes[0]!;
  const pads = resolvePads(input, a.kernelSize, a.strides, a.dilation, a.padding);
  const args = `${input[2]}, ${a.filters}, kernel_size=${pyPair(a.kernelSize)}, stride=${pyPair(a.strides)}, ` +
    `padding=${pyPair(pads.symmetric ?? [0, 0])}, dilation=${pyPair(a.dilation)}, groups=${a.groups}, bias=${pyBool(a.useBias)}`;
  // torch's mask is [out][in], convzoo's connectionMask[in][out].
  const mask = a.connectionMask && `[${Array.from({ length: a.filters }, (_, o) => `[${a.connectionMask!.map((row) => row[o]).join(', ')}]`).join(', ')}]`;
  return {
    module: mask ? `MaskedConv2d(${mask}, ${args})` : `nn.Conv2d(${args})`,
    forward: ([x], m) => `${m}(${pads.symmetric ? x : fPad(x!, pads.explicit)})`,
  };
};
