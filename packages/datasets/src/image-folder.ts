/**
 * Folders of one's own images as training data, as torchvision's ImageFolder and Keras's
 * image_dataset_from_directory read them: DIR/train/<class>/* and DIR/val/<class>/*, or
 * DIR/<class>/* split by a seeded fraction. Files are decoded batch by batch (sharp decodes on
 * libuv's worker threads) with a bounded cache of decoded images, so a data set never has to
 * fit in memory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { ConvzooError, outputSize, type BatchSource, type Preprocessing } from '@convzoo/core';
import { preprocess, type RgbaImage } from '@convzoo/vision';
import { decodeImage } from '@convzoo/vision/node';
import { augment, checkAugmentation, type Augmentation } from './augment.js';
import { permutation } from './dataset.js';

const EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
/** Decoded images kept between batches (a few hundred megabytes of 224x224 photos at most). */
export const DEFAULT_CACHE_SIZE = 1024;

export interface ImageFolderOptions {
  /** How each image becomes a model input (the model's preset, fitted to its input): it must give a fixed size. */
  readonly preprocessing: Preprocessing;
  /** Where there is no val/ folder: the fraction of the training images held out for validation, seeded by `seed`. */
  readonly valSplit?: number;
  /** Seeds the split and the augmentation (default 0). */
  readonly seed?: number;
  /** Applied to the training images only. */
  readonly augment?: Augmentation;
  /** Leave out unreadable files (counted in `skipped`) instead of refusing the folder. */
  readonly skipBad?: boolean;
  /** Decoded images kept between batches (default {@link DEFAULT_CACHE_SIZE}). */
  readonly cacheSize?: number;
  /** The class names labels index (a trained model's): every class folder must be one of them. Default: the folder names, sorted. */
  readonly classes?: readonly string[];
}

export interface ImageFolder {
  readonly classes: readonly string[];
  readonly train: ImageSource;
  /** DIR/val, or the held-out fraction; undefined when there is neither. */
  readonly val: ImageSource | undefined;
  /** Unreadable files left out with skipBad, with the reason. */
  readonly skipped: readonly string[];
}

interface Sample {
  readonly file: string;
  readonly label: number;
}

/** The images of one split, decoded on demand: a core BatchSource any trainer takes. */
export class ImageSource implements BatchSource {
  readonly sampleShape: readonly number[];
  private readonly cache = new Map<number, RgbaImage>();

  constructor(
    readonly samples: readonly Sample[],
    private readonly preprocessing: Preprocessing,
    private readonly opts: { readonly augment?: Augmentation; readonly seed: number; readonly cacheSize: number },
  ) {
    const size = outputSize(preprocessing)!;
    this.sampleShape = [size[0], size[1], preprocessing.channels === 'gray' ? 1 : 3];
  }

  get size(): number {
    return this.samples.length;
  }

  get labels(): Int32Array {
    return Int32Array.from(this.samples, (s) => s.label);
  }

  async batch(indices: Uint32Array, epoch?: number): Promise<{ x: Float32Array; y: Int32Array }> {
    const per = this.sampleShape.reduce((a, b) => a * b, 1);
    const x = new Float32Array(indices.length * per);
    const y = new Int32Array(indices.length);
    const images = await Promise.all(Array.from(indices, (i) => this.image(i)));
    images.forEach((image, k) => {
      const i = indices[k]!;
      // Augmented only while training: validation and evaluation see each image as predict would.
      const a = this.opts.augment && epoch !== undefined ? augment(image, this.opts.augment, this.opts.seed, epoch, i) : image;
      x.set(preprocess(a, this.preprocessing).data, k * per);
      y[k] = this.samples[i]!.label;
    });
    return { x, y };
  }

  private async image(i: number): Promise<RgbaImage> {
    const hit = this.cache.get(i);
    if (hit !== undefined) {
      // Least recently used goes first: re-inserting moves the entry to the end.
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    const file = this.samples[i]!.file;
    const image = await decodeImage(readFileSync(file), { file });
    this.cache.set(i, image);
    if (this.cache.size > this.opts.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return image;
  }
}

const isDir = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
const visible = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();

/** Class folders of `dir` and their files, sorted (byte order, as Python's sorted()). */
function scan(dir: string): Map<string, string[]> {
  const classes = new Map<string, string[]>();
  for (const name of visible(dir)) {
    const path = join(dir, name);
    if (isDir(path)) classes.set(name, visible(path).map((f) => join(path, f)));
  }
  if (classes.size === 0) throw new ConvzooError('ARGUMENT_INVALID', `${dir} has no class folders (expected ${dir}/<class>/<image>)`);
  return classes;
}

/** Why a file cannot be used, read from its header only; undefined when it can. */
async function problem(file: string): Promise<string | undefined> {
  if (!EXTENSIONS.has(extname(file).toLowerCase())) return 'not a .jpg, .jpeg, .png or .webp file';
  try {
    const m = await sharp(file).metadata();
    if (!(m.width! > 0 && m.height! > 0)) return 'no pixels';
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** The class names of an image folder (its train/ class folders, sorted), without reading any image. */
export function imageFolderClasses(dir: string): string[] {
  if (!isDir(dir)) throw new ConvzooError('ARGUMENT_INVALID', `${dir} is not a folder`);
  return [...scan(isDir(join(dir, 'train')) ? join(dir, 'train') : dir).keys()];
}

export async function imageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolder> {
  if (!isDir(dir)) throw new ConvzooError('ARGUMENT_INVALID', `${dir} is not a folder`);
  const p = options.preprocessing;
  if (outputSize(p) === undefined) throw new ConvzooError('ARGUMENT_INVALID', `the ${p.preset} preprocessing gives images of varying size; give it a crop`);
  const seed = options.seed ?? 0;
  const split = isDir(join(dir, 'train'));
  const trainDir = split ? join(dir, 'train') : dir;
  const found = { train: scan(trainDir), val: split && isDir(join(dir, 'val')) ? scan(join(dir, 'val')) : undefined };
  const classes = options.classes ?? [...found.train.keys()];
  const labelOf = (name: string, where: string) => {
    const label = classes.indexOf(name);
    if (label < 0) throw new ConvzooError('ARGUMENT_INVALID', `${where}/${name}: no such class (the classes are ${classes.join(', ')})`);
    return label;
  };

  const bad: string[] = [];
  const samplesOf = async (folders: Map<string, string[]>, where: string): Promise<Sample[]> => {
    const out: Sample[] = [];
    for (const [name, files] of folders) {
      const label = labelOf(name, where);
      // Headers only, queued on sharp's worker threads: every problem is known before training starts.
      const problems = await Promise.all(files.map(problem));
      files.forEach((file, i) => (problems[i] === undefined ? out.push({ file, label }) : bad.push(`${file}: ${problems[i]}`)));
    }
    return out;
  };
  let train = await samplesOf(found.train, trainDir);
  let val = found.val ? await samplesOf(found.val, join(dir, 'val')) : undefined;
  if (bad.length > 0 && !options.skipBad) {
    const shown = bad.slice(0, 10).join('\n  ');
    throw new ConvzooError('FILE_INVALID', `${bad.length} unreadable file(s) in ${dir} (skip them with skipBad / --skip-bad):\n  ${shown}${bad.length > 10 ? `\n  ... and ${bad.length - 10} more` : ''}`);
  }
  if (options.valSplit !== undefined) {
    const f = options.valSplit;
    if (found.val) throw new ConvzooError('ARGUMENT_INVALID', `${dir} has a val/ folder already; a validation split applies where there is none`);
    if (!(f > 0 && f < 1)) throw new ConvzooError('ARGUMENT_INVALID', `validation split must be in (0, 1), got ${f}`);
    const order = permutation(train.length, seed, 'split');
    const nVal = Math.round(train.length * f);
    const all = train;
    val = Array.from(order.subarray(0, nVal), (i) => all[i]!);
    train = Array.from(order.subarray(nVal), (i) => all[i]!);
  }
  if (train.length === 0) throw new ConvzooError('ARGUMENT_INVALID', `${trainDir} holds no readable images`);
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!(Number.isInteger(cacheSize) && cacheSize >= 0)) throw new ConvzooError('ARGUMENT_INVALID', `cacheSize must be an integer >= 0, got ${cacheSize}`);
  const augmentation = options.augment === undefined ? {} : { augment: checkAugmentation(options.augment) };
  return {
    classes,
    train: new ImageSource(train, p, { ...augmentation, seed, cacheSize }),
    val: val === undefined || val.length === 0 ? undefined : new ImageSource(val, p, { seed, cacheSize }),
    skipped: bad,
  };
}
