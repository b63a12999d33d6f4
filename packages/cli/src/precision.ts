/**
 * --precision for export and predict: fp16 and int8 ONNX through @convzoo/onnx's export, int8
 * calibrated on ort-cpu over images the user names (a folder, preprocessed as the model records,
 * or the first training images of a dataset). Labels are never read.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Model, TensorData } from '@convzoo/core';
import { DATASETS } from '@convzoo/datasets';
import type { ActivationRanges, Precision } from '@convzoo/onnx';
import { choice, int, onlyWith, type Options, type Parsed } from './args.js';
import { prepare } from './data.js';
import { UsageError } from './errors.js';
import { readImages } from './image.js';
import type { Io } from './output.js';
import { imagePreprocessing, trainingMetadata } from './photos.js';

export const PRECISION_OPTIONS: Options = {
  precision: { type: 'string' }, calibrate: { type: 'string' }, dataset: { type: 'string' }, 'calibrate-count': { type: 'string' },
};

export const PRECISION_HELP = `  --precision P      fp32 (default); fp16: float16 weights, float32 compute; int8: static QDQ (int8
                     per-channel weights, uint8 activations from min-max calibration), which ONNX
                     Runtime runs as QLinearConv / QGemm. Recorded in the file as convzoo.precision
  --calibrate DIR    int8: calibrate on the images in DIR (any depth; PNG, JPEG, WebP; labels are
                     not needed), preprocessed as the model records
  --dataset D        int8: calibrate on the first training images of ${DATASETS.join(' or ')} instead
  --calibrate-count N  int8: how many images to calibrate on, 1 to 65,536 (default 256)`;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
/** Calibration batch: the calibration graph outputs every quantized tensor (ResNet-50: ~100 MB an image). */
const BATCH = 8;

export interface PrecisionFlags {
  readonly precision: Precision;
  readonly count: number;
}

/** Checks the flags before any work (exit 2 on a bad combination). */
export function precisionFlags(values: Parsed['values']): PrecisionFlags {
  const precision = choice(values.precision, '--precision', ['fp32', 'fp16', 'int8'] as const) ?? 'fp32';
  onlyWith(values, ['calibrate', 'dataset', 'calibrate-count'], precision === 'int8', 'to --precision int8');
  if (precision === 'int8') {
    if (values.calibrate === undefined && values.dataset === undefined) {
      throw new UsageError(`--precision int8 needs calibration images: --calibrate DIR (a folder of images; labels are not needed) or --dataset ${DATASETS.join('|')}`);
    }
    if (values.calibrate !== undefined && values.dataset !== undefined) throw new UsageError('--calibrate and --dataset cannot be combined');
    choice(values.dataset, '--dataset', DATASETS);
  }
  return { precision, count: int(values['calibrate-count'], '--calibrate-count', 1, 65_536) ?? 256 };
}

function imagesIn(dir: string): string[] {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new UsageError(`--calibrate ${dir} does not exist (expected a folder of images)`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--calibrate ${dir} is not a folder (expected a folder of images)`);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) throw new UsageError(`--calibrate ${dir} holds no images (${[...IMAGE_EXTENSIONS].join(', ')})`);
  return files;
}

/** The calibration inputs as NHWC batches, preprocessed for `model`. */
export async function calibrationBatches(spec: string, model: Model, values: Parsed['values'], count: number): Promise<TensorData[]> {
  const perSample = model.inputShape.reduce((a, b) => a * b, 1);
  const split = (all: TensorData): TensorData[] => {
    const n = all.shape[0]!;
    return Array.from({ length: Math.ceil(n / BATCH) }, (_, i) => {
      const m = Math.min(BATCH, n - i * BATCH);
      return { shape: [m, ...model.inputShape], data: all.data.subarray(i * BATCH * perSample, (i * BATCH + m) * perSample) };
    });
  };
  if (values.dataset !== undefined) return split(prepare(values.dataset as (typeof DATASETS)[number], model, 'train', count).images);
  const files = imagesIn(values.calibrate as string).slice(0, count);
  const p = imagePreprocessing(spec, model, {}, trainingMetadata(spec));
  const batches: TensorData[] = [];
  for (let i = 0; i < files.length; i += BATCH) batches.push(await readImages(files.slice(i, i + BATCH), p, model.inputShape));
  return batches;
}

/** Export options for the precision: int8's activation ranges calibrated on ort-cpu. */
export async function precisionExport(
  spec: string, model: Model, values: Parsed['values'], flags: PrecisionFlags, foldBatchNorm: boolean, io: Io,
): Promise<{ precision: Precision; activationRanges?: ActivationRanges }> {
  if (flags.precision !== 'int8') return { precision: flags.precision };
  const batches = await calibrationBatches(spec, model, values, flags.count);
  const { ort } = await import('@convzoo/backend-ort');
  const activationRanges = await ort({ device: 'cpu' }).calibrate(model, batches, { foldBatchNorm });
  io.err(`calibrated int8 activation ranges on ${batches.reduce((n, b) => n + b.shape[0]!, 0)} images (min-max, ort-cpu)`);
  return { precision: 'int8', activationRanges };
}
