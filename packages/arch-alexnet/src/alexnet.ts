/**
 * AlexNet (Krizhevsky et al. 2012) as a table of variants and one builder. Node names follow
 * Caffe's bvlc_alexnet: conv1..conv5 (each with `_relu`), lrn1/lrn2, pool1/pool2/pool5,
 * fc6..fc8, drop6/drop7.
 */
import {
  GraphBuilder, Model, modelOutputs, resolveInput, resolveVariant,
  type Graph, type ModelOptions, type Stage, type SymbolicTensor, type TorchvisionNames,
} from '@convzoo/core';

export const ALEXNET_VARIANTS = ['paper', 'torchvision'] as const;
export type AlexNetVariant = (typeof ALEXNET_VARIANTS)[number];

export interface AlexNetOptions extends ModelOptions {
  readonly variant?: AlexNetVariant;
}

interface ConvSpec {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  /** Symmetric zero padding (PyTorch / Caffe style); 0 is 'valid'. */
  readonly pad: number;
  /** 2 where the paper splits the layer across its two GPUs (each half sees half the inputs). */
  readonly groups: number;
  /** LRN after the ReLU (paper, conv1 and conv2). */
  readonly lrn: boolean;
  /** A 3x3/2 overlapping max pool follows (named after the conv: pool1, pool2, pool5). */
  readonly pool: boolean;
}

interface AlexNetSpec {
  readonly inputShape: readonly [number, number, number];
  readonly convs: readonly ConvSpec[];
  /**
   * Where the classifier's dropout sits: after the ReLU of fc6 and fc7 (paper, Caffe) or
   * before fc6 and fc7 (torchvision). At inference both are identity.
   */
  readonly dropoutBeforeFc: boolean;
}

const conv = (filters: number, kernel: number, pad: number, extra: Partial<ConvSpec> = {}): ConvSpec =>
  ({ filters, kernel, stride: 1, pad, groups: 1, lrn: false, pool: false, ...extra });

export const ALEXNET_SPECS: Readonly<Record<AlexNetVariant, AlexNetSpec>> = {
  paper: {
    inputShape: [227, 227, 3],
    convs: [
      conv(96, 11, 0, { stride: 4, lrn: true, pool: true }),
      conv(256, 5, 2, { groups: 2, lrn: true, pool: true }),
      conv(384, 3, 1),
      conv(384, 3, 1, { groups: 2 }),
      conv(256, 3, 1, { groups: 2, pool: true }),
    ],
    dropoutBeforeFc: false,
  },
  torchvision: {
    inputShape: [224, 224, 3],
    convs: [
      conv(64, 11, 2, { stride: 4, pool: true }),
      conv(192, 5, 2, { pool: true }),
      conv(384, 3, 1),
      conv(256, 3, 1),
      conv(256, 3, 1, { pool: true }),
    ],
    dropoutBeforeFc: true,
  },
};

/**
 * The paper's LRN (k=2, n=5, alpha=1e-4, beta=0.75; alpha NOT divided by n) in the ONNX /
 * PyTorch / Caffe convention core uses, which divides alpha by size: alpha 5 x 1e-4.
 */
export const PAPER_LRN = { size: 5, alpha: 5e-4, beta: 0.75, bias: 2 } as const;

const FC_UNITS = 4096;
const DEFAULT_DROPOUT = 0.5;

/** Builds `alexnet` with seeded weights. */
export function buildAlexNet(options: AlexNetOptions = {}): Model {
  return Model.init(alexnetGraph(options), options.seed ?? 0);
}

/**
 * The graph alone. The classifier flattens pool5 at whatever size the input leaves (6x6x256
 * at the default input), as Keras does with include_top; torchvision's AdaptiveAvgPool(6, 6)
 * is the identity there and is left out.
 */
function alexnetGraph(options: AlexNetOptions = {}): Graph {
  const variant = resolveVariant('alexnet', ALEXNET_VARIANTS, options.variant);
  const spec = ALEXNET_SPECS[variant];
  const g = new GraphBuilder('alexnet');
  let x = g.input(resolveInput('alexnet', options, spec.inputShape));
  const stages: Stage[] = [];
  spec.convs.forEach((c, i) => {
    const n = i + 1;
    x = g.conv2d(x, { filters: c.filters, kernelSize: c.kernel, strides: c.stride, padding: c.pad === 0 ? 'valid' : c.pad, groups: c.groups, activation: 'relu', name: `conv${n}` });
    if (c.lrn) x = g.lrn(x, { ...PAPER_LRN, name: `lrn${n}` });
    if (c.pool) {
      x = g.maxPool2d(x, { poolSize: 3, strides: 2, name: `pool${n}` });
      stages.push({ name: `pool${n}`, tensor: x });
    }
  });

  return g.build(modelOutputs(g, x, stages, options, (top) => {
    const rate = options.dropout ?? DEFAULT_DROPOUT;
    const drop = (t: SymbolicTensor, name: string) => (rate > 0 ? g.dropout(t, rate, name) : t);
    top = g.flatten(top, 'flatten');
    for (const n of [6, 7]) {
      if (spec.dropoutBeforeFc) top = drop(top, `drop${n}`);
      top = g.dense(top, { units: FC_UNITS, activation: 'relu', name: `fc${n}` });
      if (!spec.dropoutBeforeFc) top = drop(top, `drop${n}`);
    }
    return g.dense(top, { units: options.numClasses ?? 1000, name: 'fc8' });
  }));
}

/**
 * torchvision's module names for the `torchvision` variant: features = conv, ReLU, pool, conv,
 * ReLU, pool, conv, ReLU, conv, ReLU, conv, ReLU, pool; classifier = dropout, linear, ReLU,
 * dropout, linear, ReLU, linear.
 */
const ALEXNET_TORCHVISION_MODULES: ReadonlyMap<string, string> = new Map([
  ['conv1', 'features.0'], ['conv2', 'features.3'], ['conv3', 'features.6'], ['conv4', 'features.8'], ['conv5', 'features.10'],
  ['fc6', 'classifier.1'], ['fc7', 'classifier.4'], ['fc8', 'classifier.6'],
]);

export const alexnetTorchvisionNames: TorchvisionNames = { modules: () => ALEXNET_TORCHVISION_MODULES };
