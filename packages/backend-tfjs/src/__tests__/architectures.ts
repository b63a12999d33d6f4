/**
 * Every architecture variant as a conformance model case. CI-sized by default (small inputs,
 * 10 classes: the float64 reference interpreter is the slow part); CONVZOO_FULL=1 builds
 * each at its default input and class count (a dev-time run of many minutes). Non-kernel
 * weights are randomized so BatchNorm statistics, affine parameters and biases all matter.
 */
import type { Model } from '@convzoo/core';
import type { ModelCase } from '@convzoo/core/testing/conformance';
import { randomizeNonKernelWeights } from '@convzoo/core/testing';
import { alexnet, ALEXNET_VARIANTS } from '@convzoo/arch-alexnet';
import { AUX_MIN_INPUT_SIZE, googlenet, GOOGLENET_VARIANTS } from '@convzoo/arch-inception';
import { lenet5, LENET_VARIANTS } from '@convzoo/arch-lenet';
import { buildResNet, RESNET_DEPTH_LIST, RESNET_VARIANTS } from '@convzoo/arch-resnet';
import { buildVgg, VGG_DEPTHS } from '@convzoo/arch-vgg';

export const FULL = process.env['CONVZOO_FULL'] === '1';

type Size = readonly [number, number, number];
/** Small inputs for CI; undefined (the builder's default) for the full run. */
const at = (side: number, channels = 3): { inputShape?: Size; numClasses?: number } =>
  FULL ? {} : { inputShape: [side, side, channels], numClasses: 10 };
const label = (name: string, side: number) => (FULL ? `${name} (full size)` : `${name} ${side}x${side}`);

const randomized = (build: () => Model) => () => randomizeNonKernelWeights(build(), 1);

export type Family = 'lenet_alexnet' | 'vgg' | 'inception' | 'resnet';

export const ARCHITECTURES: Readonly<Record<Family, readonly ModelCase[]>> = {
  lenet_alexnet: [
    ...LENET_VARIANTS.map((variant) => ({ name: `lenet5 ${variant}`, model: randomized(() => lenet5({ variant })) })),
    // The smallest inputs each AlexNet takes.
    ...ALEXNET_VARIANTS.map((variant) => {
      const side = variant === 'paper' ? 67 : 63;
      return { name: label(`alexnet ${variant}`, side), model: randomized(() => alexnet({ variant, ...at(side) })) };
    }),
  ],
  vgg: VGG_DEPTHS.flatMap((depth) => [false, true].map((bn) => ({
    name: label(`vgg${depth}${bn ? '_bn' : ''}`, 32),
    model: randomized(() => buildVgg(depth, bn, at(32))),
  }))),
  inception: GOOGLENET_VARIANTS.flatMap((variant) => {
    const side = variant === 'paper' ? 47 : 31;
    return [
      { name: label(`googlenet ${variant}`, side), model: randomized(() => googlenet({ variant, ...at(side), auxClassifiers: false })) },
      // With the auxiliary heads in the graph: predict must return the main output only.
      { name: label(`googlenet ${variant} with aux heads`, AUX_MIN_INPUT_SIZE), model: randomized(() => googlenet({ variant, ...at(AUX_MIN_INPUT_SIZE) })) },
    ];
  }),
  resnet: RESNET_DEPTH_LIST.flatMap((depth) => RESNET_VARIANTS.map((variant) => ({
    name: label(`resnet${depth} ${variant}`, 16),
    model: randomized(() => buildResNet(depth, { variant, ...at(16) })),
  }))),
};
