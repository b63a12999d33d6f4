/**
 * LeNet-5 (LeCun et al. 1998) as a table of variants and one builder. Each variant keeps the
 * layer names of its source: the paper's C1/S2/C3/S4/C5/F6, the PyTorch tutorial's
 * conv1/pool1/.../fc3 for `modern`, the article's Keras code for `article`.
 */
import {
  GraphBuilder, Model, modelOutputs, resolveInput, resolveVariant,
  type ActivationFn, type Graph, type ModelOptions, type Stage, type SymbolicTensor,
} from '@convzoo/core';

export const LENET_VARIANTS = ['paper', 'modern', 'article'] as const;
export type LeNetVariant = (typeof LENET_VARIANTS)[number];

export interface LeNetOptions extends ModelOptions {
  readonly variant?: LeNetVariant;
}

export const DEFAULT_INPUT_SHAPE: readonly [number, number, number] = [32, 32, 1];
export const DEFAULT_CLASSES = 10;

/**
 * Table I of the paper, as printed: row i is S2 map i, column o is C3 map o, X where i feeds
 * o. Maps 0-5 read 3 contiguous S2 maps, 6-11 read 4, 12-14 read 4 non-contiguous, 15 all six.
 */
const TABLE_I = [
  'X   XXX  XXXX XX',
  'XX   XXX  XXXX X',
  'XXX   XXX  X XXX',
  ' XXX  XXXX  X XX',
  '  XXX  XXXX XX X',
  '   XXX  XXXX XXX',
] as const;

/** C3's connection mask (`connectionMask[i][o]`: 1 when S2 map i feeds C3 map o): 60 connections. */
export const C3_CONNECTIONS: readonly (readonly number[])[] = TABLE_I.map((row) => [...row].map((c) => (c === 'X' ? 1 : 0)));

/** One layer of the feature extractor; every conv and subsampling layer is followed by the variant's activation. */
type FeatureLayer =
  | { readonly kind: 'conv'; readonly name: string; readonly filters: number; readonly connectionMask?: readonly (readonly number[])[] }
  | { readonly kind: 'subsampling' | 'maxPool'; readonly name: string };

interface LeNetSpec {
  readonly activation: ActivationFn;
  /** 5x5 convolutions: 'valid' in the paper, 'same' in the article's code. */
  readonly padding: 'valid' | 'same';
  readonly features: readonly FeatureLayer[];
  /** Feature layers returned by `features` (timm's features_only). */
  readonly stages: readonly string[];
  /** Hidden dense layers of the classifier (each followed by the activation), then the output layer. */
  readonly hidden: readonly { readonly name: string; readonly units: number }[];
  readonly output: string;
}

const LENET_SPECS: Readonly<Record<LeNetVariant, LeNetSpec>> = {
  paper: {
    activation: 'scaled_tanh',
    padding: 'valid',
    features: [
      { kind: 'conv', name: 'c1', filters: 6 },
      { kind: 'subsampling', name: 's2' },
      { kind: 'conv', name: 'c3', filters: 16, connectionMask: C3_CONNECTIONS },
      { kind: 'subsampling', name: 's4' },
      { kind: 'conv', name: 'c5', filters: 120 },
    ],
    stages: ['s2', 's4', 'c5'],
    hidden: [{ name: 'f6', units: 84 }],
    output: 'output',
  },
  modern: {
    activation: 'relu',
    padding: 'valid',
    features: [
      { kind: 'conv', name: 'conv1', filters: 6 },
      { kind: 'maxPool', name: 'pool1' },
      { kind: 'conv', name: 'conv2', filters: 16 },
      { kind: 'maxPool', name: 'pool2' },
    ],
    stages: ['pool1', 'pool2'],
    hidden: [{ name: 'fc1', units: 120 }, { name: 'fc2', units: 84 }],
    output: 'fc3',
  },
  article: {
    activation: 'relu',
    padding: 'same',
    features: [
      { kind: 'conv', name: 'conv1', filters: 20 },
      { kind: 'maxPool', name: 'pool1' },
      { kind: 'conv', name: 'conv2', filters: 50 },
      { kind: 'maxPool', name: 'pool2' },
    ],
    stages: ['pool1', 'pool2'],
    hidden: [{ name: 'dense1', units: 500 }],
    output: 'dense2',
  },
};

function featureLayer(g: GraphBuilder, x: SymbolicTensor, layer: FeatureLayer, spec: LeNetSpec): SymbolicTensor {
  switch (layer.kind) {
    case 'conv':
      return g.conv2d(x, {
        filters: layer.filters, kernelSize: 5, padding: spec.padding, activation: spec.activation, name: layer.name,
        ...(layer.connectionMask ? { connectionMask: layer.connectionMask } : {}),
      });
    case 'subsampling':
      // The paper squashes the subsampled maps too (sum x coefficient + bias, then f).
      return g.activation(g.subsampling(x, { poolSize: 2, name: layer.name }), spec.activation, `${layer.name}_${spec.activation}`);
    case 'maxPool':
      return g.maxPool2d(x, { poolSize: 2, name: layer.name });
  }
}

/** Builds `lenet5` with seeded weights. */
export function buildLeNet5(options: LeNetOptions = {}): Model {
  return Model.init(lenet5Graph(options), options.seed ?? 0);
}

/**
 * The graph alone. includeTop false ends after the last feature layer (the paper's C5, else
 * pool2); the classifier flattens whatever map the input size leaves, as Keras does.
 */
function lenet5Graph(options: LeNetOptions = {}): Graph {
  const variant = resolveVariant('lenet5', LENET_VARIANTS, options.variant);
  const spec = LENET_SPECS[variant];
  const g = new GraphBuilder('lenet5');
  let x = g.input(resolveInput('lenet5', options, DEFAULT_INPUT_SHAPE));
  const stages: Stage[] = [];
  for (const layer of spec.features) {
    x = featureLayer(g, x, layer, spec);
    if (spec.stages.includes(layer.name)) stages.push({ name: layer.name, tensor: x });
  }

  return g.build(modelOutputs(g, x, stages, options, (top) => {
    top = g.flatten(top, 'flatten');
    for (const h of spec.hidden) top = g.dense(top, { units: h.units, activation: spec.activation, name: h.name });
    // LeNet has no dropout; timm's drop_rate adds one before the output layer when asked.
    if (options.dropout) top = g.dropout(top, options.dropout, 'dropout');
    return g.dense(top, { units: options.numClasses ?? DEFAULT_CLASSES, name: spec.output });
  }));
}
