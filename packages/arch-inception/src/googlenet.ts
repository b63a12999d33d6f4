/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014): Table 1 of the paper as data, one builder,
 * and the two variants as configuration. The paper variant follows Caffe's bvlc_googlenet
 * where the paper is silent (pads, ceil-mode pools, LRN constants).
 */
import {
  GraphBuilder, Model, ShapeError, classifierOutput, modelOutputs, resolveInput, resolveVariant,
  type GraphNode, type ModelOptions, type Stage, type SymbolicTensor, type TensorMap, type TorchvisionNames,
} from '@convzoo/core';

export const GOOGLENET_VARIANTS = ['paper', 'torchvision'] as const;
export type GoogLeNetVariant = (typeof GOOGLENET_VARIANTS)[number];

export interface GoogLeNetOptions extends ModelOptions {
  readonly variant?: GoogLeNetVariant;
  /**
   * The two auxiliary classifiers (on 4a and 4d), built as training-only outputs: predict and
   * export run the main head only. Default true; they exist only with the classifier
   * (includeTop, no features).
   */
  readonly auxClassifiers?: boolean;
}

export interface GoogLeNetConfig {
  /** BatchNorm (eps 1e-3) after every convolution, which then has no bias (torchvision). */
  readonly batchNorm: boolean;
  /** LRN after pool1 and after conv2 (the paper). */
  readonly lrn: boolean;
  /** Kernel of the "5x5" branch: torchvision's is 3x3. */
  readonly branch5Kernel: number;
  /** Max pool between 4e and 5a: 3x3/2 (paper), 2x2/2 (torchvision); both give 7x7 at 224. */
  readonly pool4Size: number;
  /** Main-head dropout (the `dropout` option overrides it). */
  readonly dropout: number;
  /** Smallest square input without the auxiliary classifiers (pool4 must fit). */
  readonly minInputSize: number;
}

export const GOOGLENET_CONFIGS: Readonly<Record<GoogLeNetVariant, GoogLeNetConfig>> = {
  paper: { batchNorm: false, lrn: true, branch5Kernel: 5, pool4Size: 3, dropout: 0.4, minInputSize: 47 },
  torchvision: { batchNorm: true, lrn: false, branch5Kernel: 3, pool4Size: 2, dropout: 0.2, minInputSize: 31 },
};
/** Smallest square input with the auxiliary classifiers: their 5x5 pool needs a 5x5 map at 4a. */
export const AUX_MIN_INPUT_SIZE = 79;

/** Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj. */
export type InceptionWidths = readonly [number, number, number, number, number, number];

/** The inception stages: each starts with a 3x3/2 max pool (pool4 as the variant says). */
export const INCEPTION_STAGES: readonly { readonly name: string; readonly pool: string; readonly modules: Readonly<Record<string, InceptionWidths>> }[] = [
  { name: 'inception3', pool: 'pool2', modules: { '3a': [64, 96, 128, 16, 32, 32], '3b': [128, 128, 192, 32, 96, 64] } },
  {
    name: 'inception4', pool: 'pool3', modules: {
      '4a': [192, 96, 208, 16, 48, 64], '4b': [160, 112, 224, 24, 64, 64], '4c': [128, 128, 256, 24, 64, 64],
      '4d': [112, 144, 288, 32, 64, 64], '4e': [256, 160, 320, 32, 128, 128],
    },
  },
  { name: 'inception5', pool: 'pool4', modules: { '5a': [256, 160, 320, 32, 128, 128], '5b': [384, 192, 384, 48, 128, 128] } },
];

/** The modules whose output feeds an auxiliary classifier, and its name. */
const AUX_HEADS: Readonly<Record<string, string>> = { '4a': 'aux1', '4d': 'aux2' };
export const DEFAULT_INPUT_SHAPE: readonly [number, number, number] = [224, 224, 3];
/** Caffe bvlc_googlenet (the paper publishes none): size 5, alpha 1e-4 divided by size as ONNX does, beta 0.75, bias 1. */
export const GOOGLENET_LRN = { size: 5, alpha: 1e-4, beta: 0.75, bias: 1 } as const;
/** torchvision BasicConv2d: eps 1e-3, momentum 0.1 (0.9 as a decay here). */
const BN = { epsilon: 1e-3, momentum: 0.9 };

/** Conv (symmetric pads keep the size at stride 1), BatchNorm where the variant has it, ReLU. */
function convUnit(g: GraphBuilder, x: SymbolicTensor, cfg: GoogLeNetConfig, name: string, filters: number, kernel: number, stride = 1): SymbolicTensor {
  let y = g.conv2d(x, { filters, kernelSize: kernel, strides: stride, padding: (kernel - 1) / 2, useBias: !cfg.batchNorm, name });
  if (cfg.batchNorm) y = g.batchNorm(y, { ...BN, name: `${name}_bn` });
  return g.relu(y, `${name}_relu`);
}

/** 3x3/2 (or 2x2/2) max pool, rounding up as Caffe and torchvision do: 112 -> 56 -> 28 -> 14 -> 7. */
function downsample(g: GraphBuilder, x: SymbolicTensor, name: string, size = 3): SymbolicTensor {
  return g.maxPool2d(x, { poolSize: size, strides: 2, ceilMode: true, name });
}

/** Four branches concatenated: 1x1; 1x1 -> 3x3; 1x1 -> "5x5"; 3x3/1 max pool -> 1x1 projection. */
function inception(g: GraphBuilder, x: SymbolicTensor, cfg: GoogLeNetConfig, p: string, w: InceptionWidths): SymbolicTensor {
  const [c1, r3, c3, r5, c5, pp] = w;
  const b1 = convUnit(g, x, cfg, `${p}_1x1`, c1, 1);
  const b3 = convUnit(g, convUnit(g, x, cfg, `${p}_3x3_reduce`, r3, 1), cfg, `${p}_3x3`, c3, 3);
  const b5 = convUnit(g, convUnit(g, x, cfg, `${p}_5x5_reduce`, r5, 1), cfg, `${p}_5x5`, c5, cfg.branch5Kernel);
  const pool = g.maxPool2d(x, { poolSize: 3, strides: 1, padding: 1, name: `${p}_pool` });
  const b4 = convUnit(g, pool, cfg, `${p}_pool_proj`, pp, 1);
  return g.concatenate([b1, b3, b5, b4], `${p}_output`);
}

/**
 * Auxiliary classifier: 5x5/3 average pool (4x4 at 14x14), 1x1 conv 128, FC 1024 + ReLU,
 * dropout 0.7, FC classes. torchvision pools adaptively to 4x4; see the card notes.
 */
function auxHead(g: GraphBuilder, x: SymbolicTensor, cfg: GoogLeNetConfig, name: string, options: GoogLeNetOptions): SymbolicTensor {
  const [h, w] = x.shape as [number, number];
  if (h < 5 || w < 5) {
    // Said here rather than by shape inference, to point at the option that avoids it.
    throw new ShapeError(
      `(AvgPool2D) the auxiliary classifier's 5x5/3 average pool does not fit the ${h}x${w} map it reads; with auxiliary classifiers ` +
        `the input must be at least ${AUX_MIN_INPUT_SIZE}x${AUX_MIN_INPUT_SIZE} (auxClassifiers: false builds down to ${cfg.minInputSize}x${cfg.minInputSize})`,
      `${name}_pool`,
    );
  }
  let y = g.avgPool2d(x, { poolSize: 5, strides: 3, name: `${name}_pool` });
  y = g.flatten(convUnit(g, y, cfg, `${name}_conv`, 128, 1), `${name}_flatten`);
  y = g.dropout(g.dense(y, { units: 1024, activation: 'relu', name: `${name}_fc1` }), 0.7, `${name}_dropout`);
  y = g.dense(y, { units: options.numClasses ?? 1000, name: `${name}_fc2` });
  return classifierOutput(g, y, options.classifierActivation, `${name}_predictions`);
}

/** Builds `googlenet`: stem, inception stages 3-5, then the head (and aux heads) the options ask for. */
export function buildGoogLeNet(options: GoogLeNetOptions = {}): Model {
  const variant = resolveVariant('googlenet', GOOGLENET_VARIANTS, options.variant);
  const cfg = GOOGLENET_CONFIGS[variant];
  const inputShape = resolveInput('googlenet', options, DEFAULT_INPUT_SHAPE);
  const classifier = (options.features === undefined || options.features === false) && options.includeTop !== false;
  const withAux = classifier && options.auxClassifiers !== false;
  const g = new GraphBuilder('googlenet');

  // Stem: conv1 7x7/2, pool1, (norm1), conv2 1x1 reduce + 3x3, (norm2).
  let x = convUnit(g, g.input(inputShape), cfg, 'conv1', 64, 7, 2);
  const stages: Stage[] = [{ name: 'conv1', tensor: x }];
  x = downsample(g, x, 'pool1');
  if (cfg.lrn) x = g.lrn(x, { ...GOOGLENET_LRN, name: 'norm1' });
  x = convUnit(g, convUnit(g, x, cfg, 'conv2_reduce', 64, 1), cfg, 'conv2', 192, 3);
  if (cfg.lrn) x = g.lrn(x, { ...GOOGLENET_LRN, name: 'norm2' });
  stages.push({ name: 'conv2', tensor: x });

  const aux: SymbolicTensor[] = [];
  for (const stage of INCEPTION_STAGES) {
    x = downsample(g, x, stage.pool, stage.pool === 'pool4' ? cfg.pool4Size : 3);
    for (const [id, widths] of Object.entries(stage.modules)) {
      x = inception(g, x, cfg, `inception_${id}`, widths);
      const head = AUX_HEADS[id];
      if (withAux && head !== undefined) aux.push(auxHead(g, x, cfg, head, options));
    }
    stages.push({ name: stage.name, tensor: x });
  }

  const outputs = modelOutputs(g, x, stages, options, (top) => {
    // The paper's 7x7 average pool, following the final map at other input sizes as Keras does.
    const [h, w] = top.shape as [number, number];
    top = g.flatten(g.avgPool2d(top, { poolSize: [h, w], strides: 1, name: 'avgpool' }), 'flatten');
    const rate = options.dropout ?? cfg.dropout;
    if (rate > 0) top = g.dropout(top, rate, 'dropout');
    return g.dense(top, { units: options.numClasses ?? 1000, name: 'fc' });
  });
  return Model.init(g.build(outputs, aux), options.seed ?? 0);
}

/** Branch convs of an inception module: convzoo suffix -> torchvision's module within it. */
const BRANCHES: Readonly<Record<string, string>> = {
  '1x1': 'branch1', '3x3_reduce': 'branch2.0', '3x3': 'branch2.1', '5x5_reduce': 'branch3.0', '5x5': 'branch3.1', pool_proj: 'branch4.1',
};
/** Stem and heads: convzoo's conv2_reduce / conv2 are torchvision's conv2 / conv3. */
const FIXED: Readonly<Record<string, string>> = {
  conv1: 'conv1', conv2_reduce: 'conv2', conv2: 'conv3', aux1_conv: 'aux1.conv', aux2_conv: 'aux2.conv',
  aux1_fc1: 'aux1.fc1', aux1_fc2: 'aux1.fc2', aux2_fc1: 'aux2.fc1', aux2_fc2: 'aux2.fc2', fc: 'fc',
};

/** torchvision's module for one node: BasicConv2d is `<m>.conv` + `<m>.bn`. */
function googlenetModule(node: string): string | undefined {
  const bn = node.endsWith('_bn');
  const unit = bn ? node.slice(0, -3) : node;
  const m = /^inception_(\d[a-e])_(.+)$/.exec(unit);
  const base = m ? (BRANCHES[m[2]!] === undefined ? undefined : `inception${m[1]}.${BRANCHES[m[2]!]}`) : FIXED[unit];
  if (base === undefined) return undefined;
  if (unit.startsWith('aux') && unit !== 'aux1_conv' && unit !== 'aux2_conv') return base;
  return unit === 'fc' ? base : `${base}.${bn ? 'bn' : 'conv'}`;
}

/** torchvision's transform_input: x_c * (std_c / 0.5) + (mean_c - 0.5) / 0.5, the ImageNet mean/std. */
const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
export const TRANSFORM_INPUT = 'transform_input';

/**
 * The network torchvision builds for its pretrained GoogLeNet (transform_input=True): the
 * input re-normalised from ImageNet's mean/std to [-1, 1] per channel before conv1. A 1x1
 * convolution with groups 3 (one weight and one bias per channel) expresses that exactly,
 * with no new op: `transform_input`, whose 6 parameters hold torchvision's constants (they
 * are trainable here, constants in torchvision). The model's other weights are kept.
 */
export function withTransformInput(model: Model): Model {
  if (model.nodes.some((n) => n.name === TRANSFORM_INPUT)) return model;
  const input = model.graph.inputs[0]!;
  const channels = model.inputShape[2];
  if (channels !== 3) throw new ShapeError(`transform_input needs a 3-channel input, got ${channels}`, TRANSFORM_INPUT);
  const transform: GraphNode = {
    name: TRANSFORM_INPUT, op: 'Conv2D', inputs: [input],
    attrs: { filters: 3, kernelSize: [1, 1], strides: [1, 1], padding: 'valid', dilation: [1, 1], groups: 3, useBias: true },
  };
  const nodes = model.graph.nodes.flatMap((n): GraphNode[] => {
    const rewired = n.inputs.includes(input) ? { ...n, inputs: n.inputs.map((i) => (i === input ? TRANSFORM_INPUT : i)) } as GraphNode : n;
    return n.name === input ? [n, transform] : [rewired];
  });
  const weights: TensorMap = new Map(model.weights);
  weights.set(`${TRANSFORM_INPUT}/kernel`, { shape: [1, 1, 1, 3], data: Float32Array.from(IMAGENET_STD, (s) => s / 0.5) });
  weights.set(`${TRANSFORM_INPUT}/bias`, { shape: [3], data: Float32Array.from(IMAGENET_MEAN, (m) => (m - 0.5) / 0.5) });
  return new Model({ ...model.graph, nodes }, weights);
}

/**
 * torchvision's googlenet module names for the `torchvision` variant (inception_3a_3x3_bn ->
 * inception3a.branch2.1.bn, aux1_fc1 -> aux1.fc1, ...); loading its weights adds
 * transform_input, as torchvision does whenever weights are given, so the PyTorch module
 * convzoo generates always has it too (the identity for a model without it).
 */
export const googlenetTorchvisionNames: TorchvisionNames = {
  modules: (model) => {
    const names = new Map<string, string>();
    for (const p of model.paramEntries()) {
      const m = googlenetModule(p.node);
      if (m !== undefined) names.set(p.node, m);
    }
    return names;
  },
  pretrained: withTransformInput,
  torchModule: (model) => {
    if (model.nodes.some((n) => n.name === TRANSFORM_INPUT)) return model;
    // The plain network in the shape of the pretrained one: x_c * 1 + 0.
    const shaped = withTransformInput(model);
    const weights: TensorMap = new Map(shaped.weights);
    weights.set(`${TRANSFORM_INPUT}/kernel`, { shape: [1, 1, 1, 3], data: new Float32Array(3).fill(1) });
    weights.set(`${TRANSFORM_INPUT}/bias`, { shape: [3], data: new Float32Array(3) });
    return shaped.withWeights(weights);
  },
};
