/**
 * A drawing as MNIST would have it: the digit's bounding box scaled (aspect kept, area
 * averaged) to fit 20x20, then placed in a 28x28 field with its centre of mass at the centre,
 * as LeCun et al. prepared the dataset. Drawings of any size and position then look like the
 * training digits.
 */

export const MNIST_SIZE = 28;
/** Pixels of one 28x28 digit. */
export const MNIST_PIXELS = MNIST_SIZE * MNIST_SIZE;
const BOX = 20;

/** Grayscale intensities in [0, 1], row-major. */
export interface Gray {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** The smallest rectangle holding every pixel above `threshold`, or undefined for a blank image. */
export function boundingBox(img: Gray, threshold = 0.05): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[y * img.width + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Area-average resampling of the source rectangle [sx0, sx1) x [sy0, sy1) to tw x th. */
function resample(img: Gray, sx0: number, sy0: number, sx1: number, sy1: number, tw: number, th: number): Float32Array {
  const out = new Float32Array(tw * th);
  const fx = (sx1 - sx0) / tw;
  const fy = (sy1 - sy0) / th;
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      // Source footprint of this target pixel, weighted by its overlap with each source pixel.
      const ax = sx0 + tx * fx, bx = ax + fx, ay = sy0 + ty * fy, by = ay + fy;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(ay); y < Math.ceil(by); y++) {
        const wy = Math.min(by, y + 1) - Math.max(ay, y);
        for (let x = Math.floor(ax); x < Math.ceil(bx); x++) {
          const w = wy * (Math.min(bx, x + 1) - Math.max(ax, x));
          sum += w * img.data[y * img.width + x]!;
          area += w;
        }
      }
      out[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/** The 28x28 MNIST-style digit (values in [0, 1]), or undefined when nothing is drawn. */
export function toMnist(img: Gray): Float32Array | undefined {
  const box = boundingBox(img);
  if (box === undefined) return undefined;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const scale = BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const digit = resample(img, box.x0, box.y0, box.x1, box.y1, tw, th);
  let mass = 0, cx = 0, cy = 0;
  digit.forEach((v, i) => {
    mass += v;
    cx += v * (i % tw);
    cy += v * Math.floor(i / tw);
  });
  // Offset that puts the centre of mass at pixel index 14 as in MNIST (measured on its test set:
  // 13.5 to 14.4), kept inside the field.
  const ox = Math.min(Math.max(Math.round(MNIST_SIZE / 2 - cx / mass), 0), MNIST_SIZE - tw);
  const oy = Math.min(Math.max(Math.round(MNIST_SIZE / 2 - cy / mass), 0), MNIST_SIZE - th);
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < th; y++) out.set(digit.subarray(y * tw, (y + 1) * tw), (y + oy) * MNIST_SIZE + ox);
  return out;
}

/** How the model's inputs were prepared in training: (x - mean) / std of pixels in [0, 1]. */
export interface InputStats {
  readonly mean: number;
  readonly std: number;
}

/** MNIST's training-set statistics (torchvision's constants), what `convzoo train` uses unless it records others. */
export const MNIST_STATS: InputStats = { mean: 0.1307, std: 0.3081 };

/**
 * 28x28 digits (N x 784 values in [0, 1]) as a model input [N, H, W, 1]: zero-padded evenly to
 * H x W (LeNet-5 takes 32x32, the paper's 2-pixel border) and normalized.
 */
export function toModelInput(digits: Float32Array, inputShape: readonly number[], stats: InputStats): { shape: number[]; data: Float32Array } {
  const [h, w, c] = inputShape as [number, number, number];
  if (c !== 1 || h < MNIST_SIZE || w < MNIST_SIZE) throw new Error(`a digit model needs a [H>=28, W>=28, 1] input, this one takes [${inputShape.join(', ')}]`);
  const n = digits.length / (MNIST_SIZE * MNIST_SIZE);
  const top = Math.floor((h - MNIST_SIZE) / 2);
  const left = Math.floor((w - MNIST_SIZE) / 2);
  const shift = -stats.mean / stats.std;
  const data = new Float32Array(n * h * w).fill(shift);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < MNIST_SIZE; y++) {
      for (let x = 0; x < MNIST_SIZE; x++) {
        data[(i * h + y + top) * w + x + left] = digits[(i * MNIST_SIZE + y) * MNIST_SIZE + x]! / stats.std + shift;
      }
    }
  }
  return { shape: [n, h, w, 1], data };
}

/** How much of a framed 28x28 digit is ink, and how much of it is grey rather than stroke or background. */
export interface Likeness {
  /** Share of pixels above 0.1. */
  readonly ink: number;
  /** Share of pixels in (0.2, 0.8). */
  readonly grey: number;
  /** Whether it looks like an MNIST digit: thin light strokes on a mostly empty dark field. */
  readonly digitLike: boolean;
}

/**
 * MNIST digits cover about a fifth of their field (at most ~45% measured on the test set's
 * first 1,000) with few grey pixels; a photo fills its whole box with mid-tones.
 */
export const MAX_INK = 0.5;
export const MAX_GREY = 0.3;

export function likeness(digit: Float32Array): Likeness {
  let ink = 0;
  let grey = 0;
  for (const v of digit) {
    if (v > 0.1) ink++;
    if (v > 0.2 && v < 0.8) grey++;
  }
  const n = Math.max(digit.length, 1);
  return { ink: ink / n, grey: grey / n, digitLike: ink / n <= MAX_INK && grey / n <= MAX_GREY };
}
