/**
 * Every architecture variant at a small input and 10 classes (CI-sized: the float64 reference
 * interpreter is the slow part), grouped by family so the test files can run in parallel.
 */
import type { Model } from '@convzoo/core';
import { alexnet, ALEXNET_VARIANTS } from '@convzoo/arch-alexnet';
import { googlenet, GOOGLENET_VARIANTS } from '@convzoo/arch-inception';
import { lenet5, LENET_VARIANTS } from '@convzoo/arch-lenet';
import { buildResNet, RESNET_DEPTH_LIST, RESNET_VARIANTS } from '@convzoo/arch-resnet';
import { buildVgg, VGG_DEPTHS } from '@convzoo/arch-vgg';

export interface ArchitectureCase {
  readonly name: string;
  model(): Model;
  /**
   * Also check import(export(model)). Deeper members of a family repeat the same layers, so
   * the round trip runs on the smallest of each kind (block type, BatchNorm or not, variant).
   */
  readonly roundTrip: boolean;
}

const classes = 10;

export const ARCHITECTURES: Readonly<Record<'lenet_alexnet' | 'vgg' | 'inception' | 'resnet', readonly ArchitectureCase[]>> = {
  lenet_alexnet: [
    ...LENET_VARIANTS.map((variant) => ({ name: `lenet5 ${variant}`, model: () => lenet5({ variant }), roundTrip: true })),
    // The smallest inputs the two AlexNets take.
    ...ALEXNET_VARIANTS.map((variant) => {
      const size = variant === 'paper' ? 67 : 63;
      return { name: `alexnet ${variant} ${size}x${size}`, model: () => alexnet({ variant, inputShape: [size, size, 3], numClasses: classes }), roundTrip: true };
    }),
  ],
  vgg: VGG_DEPTHS.flatMap((depth) => [false, true].map((bn) => ({
    name: `vgg${depth}${bn ? '_bn' : ''} 32x32`,
    model: () => buildVgg(depth, bn, { inputShape: [32, 32, 3], numClasses: classes }),
    roundTrip: depth === 11,
  }))),
  // Auxiliary heads are training-only (never exported); without them the input can be small.
  inception: GOOGLENET_VARIANTS.map((variant) => {
    const size = variant === 'paper' ? 47 : 31;
    return {
      name: `googlenet ${variant} ${size}x${size}`,
      model: () => googlenet({ variant, inputShape: [size, size, 3], numClasses: classes, auxClassifiers: false }),
      roundTrip: true,
    };
  }),
  resnet: RESNET_DEPTH_LIST.flatMap((depth) => RESNET_VARIANTS.map((variant) => ({
    name: `resnet${depth} ${variant} 16x16`,
    model: () => buildResNet(depth, { variant, inputShape: [16, 16, 3], numClasses: classes }),
    roundTrip: depth === 18 || depth === 50, // basic and bottleneck blocks
  }))),
};
