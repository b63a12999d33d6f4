/**
 * Augmentation as data, applied to decoded RGBA pixels before the model's preprocessing (so the
 * same preset then frames and normalises every image): torchvision's RandomResizedCrop,
 * RandomHorizontalFlip and ColorJitter, drawn from core's seeded rng. It runs in the data
 * source, not in a backend, so every backend trains on the same pixels.
 */
import { ConvzooError, rng } from '@convzoo/core';
import type { RgbaImage } from '@convzoo/vision';

export interface Augmentation {
  /** RandomResizedCrop: a box of `scale` of the area (default [0.08, 1]) and aspect `ratio` (default [3/4, 4/3]). */
  readonly crop?: { readonly scale?: readonly [number, number]; readonly ratio?: readonly [number, number] };
  /** Mirror left-right with probability 1/2. */
  readonly flip?: boolean;
  /** ColorJitter factors, each drawn from [1 - v, 1 + v]: applied as brightness, contrast, saturation (a fixed order). */
  readonly jitter?: { readonly brightness?: number; readonly contrast?: number; readonly saturation?: number };
}

function checkRange(r: readonly number[] | undefined, what: string, max: number): void {
  if (r !== undefined && !(r.length === 2 && r[0]! > 0 && r[0]! <= r[1]! && r[1]! <= max)) {
    throw new ConvzooError('ARGUMENT_INVALID', `augment ${what} must be [lo, hi] with 0 < lo <= hi <= ${max}, got ${JSON.stringify(r)}`);
  }
}

export function checkAugmentation(a: Augmentation): Augmentation {
  checkRange(a.crop?.scale, 'crop.scale', 1);
  checkRange(a.crop?.ratio, 'crop.ratio', 100);
  for (const [k, v] of Object.entries(a.jitter ?? {})) {
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw new ConvzooError('ARGUMENT_INVALID', `augment jitter.${k} must be in [0, 1], got ${JSON.stringify(v)}`);
  }
  return a;
}

/** torchvision's RandomResizedCrop.get_params: ten tries at a box of the drawn area and aspect, else the centre crop that fits. */
function cropBox(w: number, h: number, next: () => number, scale: readonly [number, number], ratio: readonly [number, number]): [number, number, number, number] {
  const area = w * h;
  const [lr0, lr1] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let t = 0; t < 10; t++) {
    const target = area * (scale[0] + next() * (scale[1] - scale[0]));
    const aspect = Math.exp(lr0 + next() * (lr1 - lr0));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && cw <= w && ch > 0 && ch <= h) return [Math.floor(next() * (w - cw + 1)), Math.floor(next() * (h - ch + 1)), cw, ch];
  }
  const r = w / h;
  const [cw, ch] = r < ratio[0] ? [w, Math.round(w / ratio[0])] : r > ratio[1] ? [Math.round(h * ratio[1]), h] : [w, h];
  return [Math.floor((w - cw) / 2), Math.floor((h - ch) / 2), cw, ch];
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/**
 * One augmented copy of `image`, drawn from (seed, epoch, sample) alone: a resumed run and every
 * backend see the same pixels. The input is not modified.
 */
export function augment(image: RgbaImage, a: Augmentation, seed: number, epoch: number, sample: number): RgbaImage {
  const next = rng(seed, `augment/${epoch}/${sample}`);
  let { width: w, height: h } = image;
  let [x0, y0] = [0, 0];
  if (a.crop) [x0, y0, w, h] = cropBox(w, h, next, a.crop.scale ?? [0.08, 1], a.crop.ratio ?? [3 / 4, 4 / 3]);
  const flip = a.flip === true && next() < 0.5;
  const factor = (v: number | undefined) => (v ? 1 - v + 2 * v * next() : 1);
  const [bright, contrast, saturation] = [factor(a.jitter?.brightness), factor(a.jitter?.contrast), factor(a.jitter?.saturation)];
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = ((y0 + y) * image.width + x0 + (flip ? w - 1 - x : x)) * 4;
      out.set(image.data.subarray(from, from + 4), (y * w + x) * 4);
    }
  }
  if (bright !== 1 || contrast !== 1 || saturation !== 1) {
    // torchvision's order and formulas: brightness scales, contrast blends with the mean grey, saturation with each pixel's grey.
    const grey = (i: number) => 0.299 * out[i]! + 0.587 * out[i + 1]! + 0.114 * out[i + 2]!;
    for (let i = 0; i < out.length; i += 4) for (let k = 0; k < 3; k++) out[i + k] = clamp(out[i + k]! * bright);
    let mean = 0;
    for (let i = 0; i < out.length; i += 4) mean += grey(i);
    mean /= w * h;
    for (let i = 0; i < out.length; i += 4) for (let k = 0; k < 3; k++) out[i + k] = clamp(mean + (out[i + k]! - mean) * contrast);
    for (let i = 0; i < out.length; i += 4) {
      const g = grey(i);
      for (let k = 0; k < 3; k++) out[i + k] = clamp(g + (out[i + k]! - g) * saturation);
    }
  }
  return { width: w, height: h, data: out };
}
