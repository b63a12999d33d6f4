/**
 * VGG (Simonyan & Zisserman 2014) the way torchvision writes it: a table of configurations
 * (A, B, D, E) and one builder. Node names follow Caffe's VGG models: conv<stage>_<i> (with
 * `_bn` and `_relu`), pool1..pool5, fc6..fc8, drop6/drop7.
 */
import {
  GraphBuilder, Model, modelOutputs, resolveInput, resolveVariant,
  type Graph, type KerasNames, type ModelOptions, type Stage, type SymbolicTensor, type TorchvisionNames,
} from '@convzoo/core';

/** VGG's only variant is the paper's network; `_bn` names are separate builders, as in torchvision. */
export const VGG_VARIANTS = ['paper'] as const;
export type VggVariant = (typeof VGG_VARIANTS)[number];

export type VggDepth = 11 | 13 | 16 | 19;
export type VggName = `vgg${VggDepth}` | `vgg${VggDepth}_bn`;

/** Convolutions per stage (the paper's Table 1, configurations A, B, D and E). */
export const VGG_CONFIGS: Readonly<Record<VggDepth, { readonly config: string; readonly convs: readonly [number, number, number, number, number] }>> = {
  11: { config: 'A', convs: [1, 1, 2, 2, 2] },
  13: { config: 'B', convs: [2, 2, 2, 2, 2] },
  16: { config: 'D', convs: [2, 2, 3, 3, 3] },
  19: { config: 'E', convs: [2, 2, 4, 4, 4] },
};

export const VGG_DEPTHS = Object.keys(VGG_CONFIGS).map(Number) as VggDepth[];
/** Every builder name: vgg11, vgg11_bn, vgg13, ... */
export const VGG_NAMES: readonly VggName[] = VGG_DEPTHS.flatMap((d) => [`vgg${d}`, `vgg${d}_bn`] as const);

export const DEFAULT_INPUT_SHAPE: readonly [number, number, number] = [224, 224, 3];
const WIDTHS = [64, 128, 256, 512, 512] as const;
const FC_UNITS = 4096;
const DEFAULT_DROPOUT = 0.5;
/** torchvision's BatchNorm2d: eps 1e-5, momentum 0.1 (0.9 as a decay here). */
const BN = { epsilon: 1e-5, momentum: 0.9 };

export interface VggOptions extends ModelOptions {
  readonly variant?: VggVariant;
}

/** The builder name for a depth, with or without BatchNorm. */
export const vggName = (depth: VggDepth, batchNorm: boolean): VggName => (batchNorm ? `vgg${depth}_bn` : `vgg${depth}`);

/** Builds `vgg<depth>` (`_bn`: BatchNorm after every conv, conv bias kept, as torchvision) with seeded weights. */
export function buildVgg(depth: VggDepth, batchNorm: boolean, options: VggOptions = {}): Model {
  return Model.init(vggGraph(depth, batchNorm, options), options.seed ?? 0);
}

/**
 * The graph alone (no weights: VGG-16's are 550 MB). The classifier flattens pool5 at whatever
 * size the input leaves (7x7x512 at 224x224), as Keras does with include_top; torchvision's
 * AdaptiveAvgPool(7, 7) is the identity there and is left out.
 */
export function vggGraph(depth: VggDepth, batchNorm: boolean, options: VggOptions = {}): Graph {
  const name = vggName(depth, batchNorm);
  resolveVariant(name, VGG_VARIANTS, options.variant);
  const g = new GraphBuilder(name);
  let x = g.input(resolveInput(name, options, DEFAULT_INPUT_SHAPE));
  const stages: Stage[] = [];
  VGG_CONFIGS[depth].convs.forEach((n, s) => {
    for (let i = 1; i <= n; i++) {
      const conv = `conv${s + 1}_${i}`;
      // 3x3, stride 1, pad 1: the map keeps its size; only the pools halve it.
      x = g.conv2d(x, { filters: WIDTHS[s]!, kernelSize: 3, padding: 1, name: conv });
      if (batchNorm) x = g.batchNorm(x, { ...BN, name: `${conv}_bn` });
      x = g.relu(x, `${conv}_relu`);
    }
    x = g.maxPool2d(x, { poolSize: 2, strides: 2, name: `pool${s + 1}` });
    stages.push({ name: `pool${s + 1}`, tensor: x });
  });

  return g.build(modelOutputs(g, x, stages, options, (top) => {
    const rate = options.dropout ?? DEFAULT_DROPOUT;
    top = g.flatten(top, 'flatten');
    for (const n of [6, 7]) {
      top = g.dense(top, { units: FC_UNITS, activation: 'relu', name: `fc${n}` });
      if (rate > 0) top = g.dropout(top, rate, `drop${n}`);
    }
    return g.dense(top, { units: options.numClasses ?? 1000, name: 'fc8' });
  }));
}

/** torchvision's classifier: Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear. */
const VGG_CLASSIFIER: Readonly<Record<string, string>> = { fc6: 'classifier.0', fc7: 'classifier.3', fc8: 'classifier.6' };

/**
 * torchvision's module names: `features.<i>` counts every conv, BatchNorm, ReLU and pool of the
 * feature stack in order (vgg16: conv1_1 is features.0, conv1_2 features.2; vgg16_bn:
 * conv1_1_bn is features.1, conv1_2 features.3), the dense layers `classifier.0/3/6`.
 */
export const vggTorchvisionNames: TorchvisionNames = {
  modules: (model) => {
    const names = new Map<string, string>();
    let i = 0;
    for (const node of model.nodes) {
      if (node.name in VGG_CLASSIFIER) names.set(node.name, VGG_CLASSIFIER[node.name]!);
      else if (node.op === 'Conv2D' || node.op === 'BatchNorm' || node.op === 'Activation' || node.op === 'MaxPool2D') names.set(node.name, `features.${i++}`);
    }
    return names;
  },
};

/** Keras's classifier: Dense fc1, fc2 (ReLU, no dropout: the same network at inference), predictions. */
const VGG_KERAS_CLASSIFIER: Readonly<Record<string, string>> = { fc6: 'fc1', fc7: 'fc2', fc8: 'predictions' };

/**
 * Keras Applications' layer names (keras.applications.vgg16 / vgg19): `conv<s>_<i>` is
 * `block<s>_conv<i>`, fc6..fc8 are fc1, fc2, predictions. Keras's VGG16/19 are this builder's
 * vgg16/vgg19 exactly (138,357,544 / 143,667,240 params; Flatten over NHWC, as here); Keras has
 * no BatchNorm VGG, so a `_bn` model's BatchNorm nodes have no Keras layer.
 */
export const vggKerasNames: KerasNames = {
  layers: (model) => {
    const names = new Map<string, string>();
    for (const node of model.nodes) {
      const conv = /^conv(\d)_(\d)$/.exec(node.name);
      if (node.name in VGG_KERAS_CLASSIFIER) names.set(node.name, VGG_KERAS_CLASSIFIER[node.name]!);
      else if (conv !== null) names.set(node.name, `block${conv[1]}_conv${conv[2]}`);
    }
    return names;
  },
};
