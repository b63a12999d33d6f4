/**
 * What predict and embed share for --image: the image list (`--image a.jpg b.png ...`), the
 * model's preprocessing with the flags that override it, and the seeded-weights warning.
 */
import { MNIST, checkPreprocessing, decodeSafetensors, fitPreprocessing, registry, type Interpolation, type Model, type Preprocessing } from '@convzoo/core';
import { WEIGHTS_FILE, readFileChecked } from '@convzoo/core/node';
import { join } from 'node:path';
import { defaultLabels } from '@convzoo/vision';
import { choice, type Options, type Parsed } from './args.js';
import { UsageError } from './errors.js';
import type { Io } from './output.js';
import { isDirectory } from './models.js';

/** The flags that override a model's preprocessing (--image only; --input is the model's tensor as is). */
export const PREPROCESSING_OPTIONS: Options = {
  resize: { type: 'string' }, crop: { type: 'string' }, mean: { type: 'string' }, std: { type: 'string' }, interpolation: { type: 'string' },
};

export const PREPROCESSING_HELP = `  --resize N|H,W      shorter side to N (torchvision's Resize(N)), or exactly HxW
  --crop N|H,W        centre crop after the resize
  --mean a,b,c        per channel, after /255 (ImageNet: 0.485,0.456,0.406)
  --std a,b,c         per channel (ImageNet: 0.229,0.224,0.225)
  --interpolation     nearest|bilinear|bicubic (Pillow's, antialiased as torchvision's PIL path)
                      Without these, the model's recorded preprocessing (its card's for an architecture:
                      torchvision's ImageNet transforms, MNIST's for lenet5; a model directory's preprocessing.json)`;

/**
 * How many positional arguments a command has when `--image a.jpg b.png ...` lists several
 * files: the model, plus each bare word that follows the image flag's value.
 */
export function imagePositionals(argv: readonly string[]): number {
  let extra = 0;
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t !== '--image' && !t.startsWith('--image=')) continue;
    let j = t === '--image' ? i + 2 : i + 1;
    while (j < argv.length && !argv[j]!.startsWith('-')) j++, extra++;
  }
  return 1 + extra;
}

/** --image's files: its value and the bare words after it (see {@link imagePositionals}). */
export function imagePaths(args: Parsed): string[] | undefined {
  const first = args.values.image;
  if (first === undefined) return undefined;
  if (first === '' || first === true) throw new UsageError('--image needs a file');
  return [first as string, ...args.positionals.slice(1)];
}

function numbers(value: string | boolean | undefined, flag: string, count?: number): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map((s) => (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(s.trim()) ? Number(s.trim()) : NaN));
  if (!parts.every(Number.isFinite) || (count !== undefined && parts.length !== count)) {
    throw new UsageError(`${flag} must be ${count ?? 'one or more'} comma-separated number(s), got "${String(value)}"`);
  }
  return parts;
}

function size(value: string | boolean | undefined, flag: string): number | [number, number] | undefined {
  const v = numbers(value, flag);
  if (v === undefined) return undefined;
  if (!(v.length === 1 || v.length === 2) || !v.every((d) => Number.isInteger(d) && d >= 1 && d <= 65_536)) {
    throw new UsageError(`${flag} must be N or H,W (positive integers up to 65536), got "${String(value)}"`);
  }
  return v.length === 1 ? v[0]! : [v[0]!, v[1]!];
}

/** The metadata `convzoo train` records in a model directory's weights (empty for anything else). */
export function trainingMetadata(spec: string): Record<string, string> {
  if (!isDirectory(spec)) return {};
  try {
    return decodeSafetensors(readFileChecked(join(spec, WEIGHTS_FILE))).metadata;
  } catch {
    return {}; // the model itself loaded already; a missing record only loses the defaults it gives
  }
}

/** Class names `convzoo train` recorded, else ImageNet's for a 1000-class head, else none (numbered). */
export function classNames(meta: Record<string, string>, classes: number): readonly string[] | undefined {
  try {
    const parsed = JSON.parse(meta.convzoo_classes ?? 'null') as unknown;
    if (Array.isArray(parsed) && parsed.length === classes && parsed.every((n) => typeof n === 'string')) return parsed as string[];
  } catch {
    // an unreadable record numbers the classes
  }
  return defaultLabels(classes);
}

/** What `convzoo train` recorded before preprocessing.json: MNIST's layout with the data set's statistics. */
function trainingRecord(meta: Record<string, string>, model: Model): Preprocessing | undefined {
  if (!meta.convzoo_input_mean || !meta.convzoo_input_std) return undefined;
  return fitPreprocessing({ ...MNIST, mean: [Number(meta.convzoo_input_mean)], std: [Number(meta.convzoo_input_std)] }, model.inputShape);
}

/**
 * The preprocessing for --image: the training record, else the model's own, else its
 * architecture card's (an imported graph named after one), then the override flags.
 */
export function imagePreprocessing(spec: string, model: Model, values: Parsed['values'], meta: Record<string, string>): Preprocessing {
  let base = trainingRecord(meta, model) ?? model.preprocessing;
  if (base === undefined && registry.list().some((e) => e.name === model.name)) {
    const card = registry.get(model.name).card().preprocessing;
    if (card !== undefined) base = fitPreprocessing(card, model.inputShape);
  }
  const resize = size(values.resize, '--resize');
  const crop = size(values.crop, '--crop');
  const interpolation = choice(values.interpolation, '--interpolation', ['nearest', 'bilinear', 'bicubic'] as const satisfies readonly Interpolation[]);
  if (base === undefined) {
    if (resize === undefined || values.mean === undefined || values.std === undefined) {
      throw new UsageError(`${spec} records no preprocessing: give --resize, --mean and --std (and --crop) for --image`);
    }
  }
  const c = model.inputShape[2] ?? 0;
  const channels = base?.channels ?? (c === 1 ? 'gray' : 'rgb');
  const n = channels === 'gray' ? 1 : 3;
  const overridden = [resize, crop, values.mean, values.std, interpolation].some((v) => v !== undefined);
  const p = {
    preset: base === undefined || overridden ? 'custom' : base.preset,
    channels,
    resize: resize ?? base!.resize,
    interpolation: interpolation ?? base?.interpolation ?? 'bilinear',
    ...(crop !== undefined ? { crop: typeof crop === 'number' ? [crop, crop] : crop } : base?.crop ? { crop: base.crop } : {}),
    ...(base?.pad ? { pad: base.pad } : {}),
    scale: base?.scale ?? 1 / 255,
    mean: numbers(values.mean, '--mean', n) ?? base!.mean,
    std: numbers(values.std, '--std', n) ?? base!.std,
    ...(base?.invertLight ? { invertLight: true } : {}),
  };
  try {
    return checkPreprocessing(p);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * One line on stderr when the weights are the seeded initial ones: an architecture name is
 * built with them unless --weights gives a file (a model directory or an ONNX file holds real ones).
 */
export function warnIfSeeded(spec: string, values: Parsed['values'], io: Io): void {
  if (isDirectory(spec) || spec.includes('/') || spec.endsWith('.onnx') || values.weights !== undefined) return;
  io.err(`warning: ${spec} runs on seeded random weights, not trained ones: its outputs mean nothing (give --weights FILE, or a trained model directory)`);
}
