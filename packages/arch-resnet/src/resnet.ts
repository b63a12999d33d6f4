/**
 * ResNet (He et al. 2015) the way torchvision writes it: a table of depths and one builder.
 * Node names are torchvision's module paths with '.' -> '_' (`layer1.0.conv1` ->
 * `layer1_0_conv1`, `layer2.0.downsample.0` -> `layer2_0_downsample_0`), so a PyTorch
 * state dict maps onto the weights by renaming alone. The `keras` variant is
 * keras.applications.resnet's network (see `resnetKerasNames` for its layer names).
 */
import {
  GraphBuilder, Model, modelOutputs, resolveInput, resolveVariant,
  type KerasNames, type ModelOptions, type Stage, type SymbolicTensor, type TorchvisionNames,
} from '@convzoo/core';

/**
 * `paper` is v1 (stride on the bottleneck's first 1x1), `torchvision` v1.5 (stride on the 3x3),
 * `keras` Keras Applications' v1 (keras/src/applications/resnet.py): stride on the first 1x1,
 * conv biases, BatchNorm epsilon 1.001e-5, ZeroPadding2D + valid conv / max pool in the stem.
 */
export const RESNET_VARIANTS = ['paper', 'torchvision', 'keras'] as const;
export type ResNetVariant = (typeof RESNET_VARIANTS)[number];

export type ResNetDepth = 18 | 34 | 50 | 101 | 152;
export type ResNetName = `resnet${ResNetDepth}`;
export type BlockKind = 'basic' | 'bottleneck';

/** torchvision's `_resnet(block, layers)` arguments: block kind and blocks per stage. */
export const RESNET_DEPTHS: Readonly<Record<ResNetDepth, { readonly block: BlockKind; readonly layers: readonly [number, number, number, number] }>> = {
  18: { block: 'basic', layers: [2, 2, 2, 2] },
  34: { block: 'basic', layers: [3, 4, 6, 3] },
  50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  101: { block: 'bottleneck', layers: [3, 4, 23, 3] },
  152: { block: 'bottleneck', layers: [3, 8, 36, 3] },
};

export const RESNET_DEPTH_LIST = Object.keys(RESNET_DEPTHS).map(Number) as ResNetDepth[];

export const DEFAULT_INPUT_SHAPE: readonly [number, number, number] = [224, 224, 3];
/** Stage widths (the 3x3 convs); a bottleneck's output is 4x wider. */
const WIDTHS = [64, 128, 256, 512] as const;
const EXPANSION: Record<BlockKind, number> = { basic: 1, bottleneck: 4 };
/** torchvision: eps 1e-5, momentum 0.1 (0.9 as a decay here). */
const BN = { epsilon: 1e-5, momentum: 0.9 };
/** Keras's BatchNormalization(epsilon=1.001e-5), default momentum 0.99. */
const KERAS_BN = { epsilon: 1.001e-5, momentum: 0.99 };

export interface ResNetOptions extends ModelOptions {
  readonly variant?: ResNetVariant;
}

interface ConvSpec {
  readonly kernel: number;
  readonly filters: number;
  readonly stride: number;
}

/** The convolutions of one residual branch; each is followed by BN, all but the last by ReLU. */
function branchConvs(kind: BlockKind, width: number, stride: number, variant: ResNetVariant): ConvSpec[] {
  if (kind === 'basic') {
    return [{ kernel: 3, filters: width, stride }, { kernel: 3, filters: width, stride: 1 }];
  }
  const [s1, s3] = variant === 'torchvision' ? [1, stride] : [stride, 1];
  return [
    { kernel: 1, filters: width, stride: s1 },
    { kernel: 3, filters: width, stride: s3 },
    { kernel: 1, filters: width * EXPANSION.bottleneck, stride: 1 },
  ];
}

/**
 * Conv, then BatchNorm: without bias (BN supplies the shift) and torchvision's eps, or with
 * Keras's bias and eps. Symmetric pads as PyTorch (Keras's 'SAME' at stride 1 is the same pad);
 * `pad: 0` for a conv after its own ZeroPadding2D.
 */
function convBn(g: GraphBuilder, x: SymbolicTensor, c: ConvSpec, conv: string, bn: string, variant: ResNetVariant, pad = (c.kernel - 1) / 2): SymbolicTensor {
  const keras = variant === 'keras';
  const y = g.conv2d(x, { filters: c.filters, kernelSize: c.kernel, strides: c.stride, padding: pad, useBias: keras, name: conv });
  return g.batchNorm(y, { ...(keras ? KERAS_BN : BN), name: bn });
}

/** One block: branch + shortcut (identity, or 1x1 projection + BN when the shape changes: option B), ReLU after the add. */
function block(g: GraphBuilder, x: SymbolicTensor, p: string, kind: BlockKind, width: number, stride: number, variant: ResNetVariant): SymbolicTensor {
  const convs = branchConvs(kind, width, stride, variant);
  let y = x;
  convs.forEach((c, i) => {
    y = convBn(g, y, c, `${p}_conv${i + 1}`, `${p}_bn${i + 1}`, variant);
    if (i < convs.length - 1) y = g.relu(y, `${p}_relu${i + 1}`);
  });
  const out = width * EXPANSION[kind];
  const shortcut = stride !== 1 || x.shape[2] !== out
    ? convBn(g, x, { kernel: 1, filters: out, stride }, `${p}_downsample_0`, `${p}_downsample_1`, variant)
    : x;
  return g.relu(g.add([y, shortcut], `${p}_add`), `${p}_relu`);
}

/** Builds `resnet<depth>`: stem, four stages (`layer1`..`layer4`), then the head the options ask for. */
export function buildResNet(depth: ResNetDepth, options: ResNetOptions = {}): Model {
  const name: ResNetName = `resnet${depth}`;
  const variant = resolveVariant(name, RESNET_VARIANTS, options.variant);
  const inputShape = resolveInput(name, options, DEFAULT_INPUT_SHAPE);
  const { block: kind, layers } = RESNET_DEPTHS[depth];
  const g = new GraphBuilder(name);

  // Stem: 7x7/2 conv pad 3, BN, ReLU, 3x3/2 max pool pad 1 (torchvision's explicit pads; Keras
  // zero-pads, then convolves and pools 'valid': conv1_pad, pool1_pad).
  const stem = { kernel: 7, filters: 64, stride: 2 };
  let x = variant === 'keras'
    ? convBn(g, g.zeroPadding2d(g.input(inputShape), 3, 'conv1_pad'), stem, 'conv1', 'bn1', variant, 0)
    : convBn(g, g.input(inputShape), stem, 'conv1', 'bn1', variant);
  x = g.relu(x, 'relu');
  const stages: Stage[] = [{ name: 'stem', tensor: x }];
  x = variant === 'keras'
    ? g.maxPool2d(g.zeroPadding2d(x, 1, 'pool1_pad'), { poolSize: 3, strides: 2, padding: 0, name: 'maxpool' })
    : g.maxPool2d(x, { poolSize: 3, strides: 2, padding: 1, name: 'maxpool' });
  layers.forEach((blocks, s) => {
    for (let b = 0; b < blocks; b++) {
      x = block(g, x, `layer${s + 1}_${b}`, kind, WIDTHS[s]!, b === 0 && s > 0 ? 2 : 1, variant);
    }
    stages.push({ name: `layer${s + 1}`, tensor: x });
  });

  const outputs = modelOutputs(g, x, stages, options, (top) => {
    top = g.globalAvgPool2d(top, 'avgpool');
    // timm's drop_rate: ResNet has no dropout unless asked for.
    if (options.dropout) top = g.dropout(top, options.dropout, 'dropout');
    return g.dense(top, { units: options.numClasses ?? 1000, name: 'fc' });
  });
  return Model.init(g.build(outputs), options.seed ?? 0);
}

/**
 * torchvision's (and timm's) module names: the node names with '_' -> '.', since the nodes are
 * named after them. Load torchvision's files into the `torchvision` variant (stride on the 3x3).
 */
export const resnetTorchvisionNames: TorchvisionNames = {
  modules: (model) => new Map(model.paramEntries().map((p) => [p.node, p.node.replace(/_/g, '.')])),
};

/**
 * Keras Applications' layer names for the `keras` variant (ResNet50/101/152): `conv1_conv` /
 * `conv1_bn`, `conv<stage + 2>_block<block + 1>_<i>_conv` / `_bn` (i = 0 the projection
 * shortcut, 1..3 the branch), `predictions`. Kernels are HWIO / [in, out] as convzoo's.
 */
export const resnetKerasNames: KerasNames = {
  variant: 'keras',
  layers: (model) => {
    const names = new Map<string, string>();
    for (const { node } of model.paramEntries()) {
      const m = /^layer(\d)_(\d+)_(conv|bn|downsample_)(\d)$/.exec(node);
      const layer = node === 'conv1' ? 'conv1_conv'
        : node === 'bn1' ? 'conv1_bn'
          : node === 'fc' ? 'predictions'
            : m === null ? undefined
              : m[3] === 'downsample_'
                ? `conv${Number(m[1]) + 1}_block${Number(m[2]) + 1}_0_${m[4] === '0' ? 'conv' : 'bn'}`
                : `conv${Number(m[1]) + 1}_block${Number(m[2]) + 1}_${m[4]}_${m[3]}`;
      if (layer !== undefined) names.set(node, layer);
    }
    return names;
  },
};
