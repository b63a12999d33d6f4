/**
 * Image preprocessing as data, in the manner of torchvision's `weights.transforms()` and timm's
 * pretrained cfgs: what a model's inputs were prepared with travels with the model (its card, its
 * directory, its ONNX metadata and Triton config), so one implementation (@convzoo/vision) can
 * apply it in Node and in browsers alike.
 */
import { ConvzooError } from './errors.js';

/** Resampling as PIL does it (what torchvision, timm and Keras call on PIL images). */
export type Interpolation = 'nearest' | 'bilinear' | 'bicubic';

/** The channels a model takes, in order: 'bgr' for Keras's caffe-style weights, 'gray' as PIL's `convert('L')`. */
export type ChannelOrder = 'rgb' | 'bgr' | 'gray';

/**
 * How to turn a decoded image into one model input, applied in this order: colour conversion,
 * resize, centre crop, zero border, then `(pixel * scale - mean) / std` per channel.
 */
export interface Preprocessing {
  /** Where the numbers come from (`'torchvision-imagenet'`, `'keras-caffe'`, `'mnist'`, `'timm'`, `'custom'`). */
  readonly preset: string;
  readonly channels: ChannelOrder;
  /**
   * A number resizes the shorter side to it, the longer side to `int(n * long / short)`
   * (torchvision's `Resize(n)`); `[H, W]` resizes to exactly that size (Keras `load_img`).
   */
  readonly resize: number | readonly [number, number];
  readonly interpolation: Interpolation;
  /** Centre crop [H, W] after the resize, offsets `round((h - H) / 2)` as torchvision (zero-padded when larger). */
  readonly crop?: readonly [number, number];
  /** Zero-valued border added on every side after the crop (MNIST's 28x28 digits in LeNet-5's 32x32). */
  readonly pad?: number;
  /** Factor on the 0..255 pixel values before mean and std: 1/255 as ToTensor, 1 as Keras's caffe mode. */
  readonly scale: number;
  /** Per channel, in the model's channel order, after `scale`. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Digits as MNIST has them (white on black): an image with a light border is inverted first. */
  readonly invertLight?: boolean;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** torchvision's ImageNet classification transforms: Resize(256) bilinear, CenterCrop(224), ToTensor, Normalize. */
export const TORCHVISION_IMAGENET: Preprocessing = {
  preset: 'torchvision-imagenet', channels: 'rgb', resize: 256, interpolation: 'bilinear', crop: [224, 224],
  scale: 1 / 255, mean: IMAGENET_MEAN, std: IMAGENET_STD,
};

/** Keras Applications' VGG / ResNet `preprocess_input` (caffe mode) after `load_img(target_size=(224, 224))`. */
export const KERAS_CAFFE: Preprocessing = {
  preset: 'keras-caffe', channels: 'bgr', resize: [224, 224], interpolation: 'nearest',
  scale: 1, mean: [103.939, 116.779, 123.68], std: [1, 1, 1],
};

/** MNIST as LeNet-5 was trained on it: a 28x28 grey digit, white on black, framed to 32x32, normalised 0.1307 / 0.3081. */
export const MNIST: Preprocessing = {
  preset: 'mnist', channels: 'gray', resize: [28, 28], interpolation: 'bilinear', pad: 2,
  scale: 1 / 255, mean: [0.1307], std: [0.3081], invertLight: true,
};

/** A timm pretrained cfg's evaluation transform fields (`pretrained_cfg` / `data_config`). */
export interface TimmConfig {
  /** [C, H, W], as timm writes it. Default [3, 224, 224]. */
  readonly inputSize?: readonly [number, number, number];
  /** Default 0.875. */
  readonly cropPct?: number;
  /** Default 'bicubic'. */
  readonly interpolation?: Interpolation;
  /** Default ImageNet's. */
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

/**
 * timm's `transforms_imagenet_eval`: the shorter side to `floor(size / crop_pct)` for a square
 * input (each side so for a non-square one), then a centre crop to the input size.
 */
export function timmPreprocessing(cfg: TimmConfig = {}): Preprocessing {
  const [, h, w] = cfg.inputSize ?? [3, 224, 224];
  const cropPct = cfg.cropPct ?? 0.875;
  if (!(cropPct > 0 && cropPct <= 1)) throw new ConvzooError('ARGUMENT_INVALID', `crop_pct must be in (0, 1], got ${cropPct}`);
  return checkPreprocessing({
    preset: 'timm', channels: 'rgb',
    resize: h === w ? Math.floor(h / cropPct) : [Math.floor(h / cropPct), Math.floor(w / cropPct)],
    interpolation: cfg.interpolation ?? 'bicubic', crop: [h, w], scale: 1 / 255,
    mean: cfg.mean ?? IMAGENET_MEAN, std: cfg.std ?? IMAGENET_STD,
  });
}

/** The [H, W] a preprocessing produces (crop or exact resize, plus the border); undefined when it depends on the image. */
export function outputSize(p: Preprocessing): [number, number] | undefined {
  const inner = p.crop ?? (typeof p.resize === 'number' ? undefined : p.resize);
  if (inner === undefined) return undefined;
  const pad = 2 * (p.pad ?? 0);
  return [inner[0] + pad, inner[1] + pad];
}

/**
 * The preprocessing adapted to a model input [H, W, C] of another size, keeping its proportions:
 * the crop becomes the input (less the border) and the resize scales with it (timm's crop_pct
 * rule, so ImageNet's 256/224 gives 146 for a 128x128 input); an exact resize becomes the input.
 * A channel count the preset cannot give is a ConvzooError.
 */
export function fitPreprocessing(p: Preprocessing, inputShape: readonly number[]): Preprocessing {
  const [h, w, c] = inputShape as [number, number, number];
  const channels = p.channels === 'gray' ? 1 : 3;
  if (c !== channels) {
    throw new ConvzooError('ARGUMENT_INVALID', `the ${p.preset} preprocessing gives ${channels} channel(s), the model takes ${c}`);
  }
  const size = outputSize(p);
  if (size !== undefined && size[0] === h && size[1] === w) return p;
  const pad = p.pad ?? 0;
  const inner: [number, number] = [h - 2 * pad, w - 2 * pad];
  if (inner[0] < 1 || inner[1] < 1) throw new ConvzooError('ARGUMENT_INVALID', `a ${h}x${w} input leaves no room inside a border of ${pad}`);
  if (p.crop === undefined) return { ...p, resize: inner };
  const crop = p.crop;
  const scaled = (side: 0 | 1, r: number) => Math.floor((inner[side] * r) / crop[side]);
  // A shorter-side resize must cover both crop sides, so it scales with the larger one.
  const resize = typeof p.resize === 'number'
    ? Math.floor((Math.max(...inner) * p.resize) / Math.max(...crop))
    : [scaled(0, p.resize[0]), scaled(1, p.resize[1])] as const;
  return { ...p, resize, crop: inner };
}

function isSize(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((d) => Number.isInteger(d) && d >= 1 && d <= 65_536);
}

/**
 * Checks a preprocessing record (from a file, a flag or code) and returns it typed; anything
 * malformed is a ConvzooError naming the field, so a bad record never yields a silent default.
 */
export function checkPreprocessing(value: unknown): Preprocessing {
  const bad = (msg: string): never => {
    throw new ConvzooError('ARGUMENT_INVALID', `preprocessing: ${msg}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('expected an object');
  const p = value as Record<string, unknown>;
  const known = ['preset', 'channels', 'resize', 'interpolation', 'crop', 'pad', 'scale', 'mean', 'std', 'invertLight'];
  const unknown = Object.keys(p).find((k) => !known.includes(k));
  if (unknown !== undefined) bad(`unknown field "${unknown}"`);
  if (typeof p.preset !== 'string') bad('"preset" must be a string');
  if (p.channels !== 'rgb' && p.channels !== 'bgr' && p.channels !== 'gray') bad(`"channels" must be rgb, bgr or gray, got ${JSON.stringify(p.channels)}`);
  if (!(isSize(p.resize) || (Number.isInteger(p.resize) && (p.resize as number) >= 1 && (p.resize as number) <= 65_536))) {
    bad(`"resize" must be a positive integer (shorter side) or [H, W], got ${JSON.stringify(p.resize)}`);
  }
  if (p.interpolation !== 'nearest' && p.interpolation !== 'bilinear' && p.interpolation !== 'bicubic') {
    bad(`"interpolation" must be nearest, bilinear or bicubic, got ${JSON.stringify(p.interpolation)}`);
  }
  if (p.crop !== undefined && !isSize(p.crop)) bad(`"crop" must be [H, W] of positive integers, got ${JSON.stringify(p.crop)}`);
  if (p.pad !== undefined && !(Number.isInteger(p.pad) && (p.pad as number) >= 0 && (p.pad as number) <= 1024)) bad(`"pad" must be an integer from 0 to 1024, got ${JSON.stringify(p.pad)}`);
  if (typeof p.scale !== 'number' || !Number.isFinite(p.scale) || p.scale === 0) bad(`"scale" must be a finite non-zero number, got ${JSON.stringify(p.scale)}`);
  const channels = p.channels === 'gray' ? 1 : 3;
  for (const key of ['mean', 'std'] as const) {
    const v = p[key];
    if (!Array.isArray(v) || v.length !== channels || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      bad(`"${key}" must be ${channels} finite number(s) for ${String(p.channels)}, got ${JSON.stringify(v)}`);
    }
  }
  if ((p.std as number[]).some((s) => s === 0)) bad('"std" must not hold 0');
  if (p.invertLight !== undefined && typeof p.invertLight !== 'boolean') bad('"invertLight" must be a boolean');
  return p as unknown as Preprocessing;
}
