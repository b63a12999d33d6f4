/**
 * One implementation of a model's {@link Preprocessing} on decoded RGBA pixels, shared by Node
 * and browsers so both produce the same tensor: colour conversion as PIL's `convert`, resize as
 * PIL's `resize`, centre crop as torchvision's, border, normalisation, NHWC float32.
 */
import { ConvzooError, checkPreprocessing, type Preprocessing, type TensorData } from '@convzoo/core';
import { resize, type Pixels } from './resize.js';

/**
 * A decoded image: `width * height` pixels of 4 bytes (R, G, B, A), row-major, as canvas
 * `ImageData` and sharp's `.ensureAlpha().raw()` give them.
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Refuses an image without pixels or with fewer bytes than its size needs (never a blank prediction). */
export function checkImage(image: RgbaImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && width >= 1 && Number.isInteger(height) && height >= 1)) {
    throw new ConvzooError('ARGUMENT_INVALID', `${what} has no pixels (${width}x${height})`);
  }
  if (data.length !== width * height * 4) {
    throw new ConvzooError('ARGUMENT_INVALID', `${what}: ${width}x${height} RGBA needs ${width * height * 4} bytes, got ${data.length}`);
  }
}

/**
 * The channels the model takes: alpha dropped as PIL's `convert('RGB')` does (torchvision's
 * loader), grey as `convert('L')` (ITU-R 601-2 luma in PIL's 16-bit fixed point).
 */
function convert(image: RgbaImage, gray: boolean): Pixels {
  const n = image.width * image.height;
  const c = gray ? 1 : 3;
  const out = new Uint8Array(n * c);
  const src = image.data;
  for (let i = 0; i < n; i++) {
    const r = src[4 * i]!, g = src[4 * i + 1]!, b = src[4 * i + 2]!;
    if (gray) out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
    else {
      // Element stores, not out.set([r, g, b]): an array a pixel made this the costliest step.
      out[3 * i] = r;
      out[3 * i + 1] = g;
      out[3 * i + 2] = b;
    }
  }
  return { width: image.width, height: image.height, channels: c, data: out };
}

/** Digits as MNIST has them, white on black: an image whose top and bottom rows are light on average is inverted. */
function invertLight(p: Pixels): Pixels {
  let border = 0;
  for (let x = 0; x < p.width; x++) border += p.data[x]! + p.data[(p.height - 1) * p.width + x]!;
  if (border / (2 * p.width) <= 127) return p;
  return { ...p, data: p.data.map((v) => 255 - v) };
}

/** torchvision's `_compute_resized_output_size` for `Resize(n)`: [width, height]. */
export function resizedSize(width: number, height: number, resize: Preprocessing['resize']): [number, number] {
  if (typeof resize !== 'number') return [resize[1], resize[0]];
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((resize * long) / short);
  return width <= height ? [resize, newLong] : [newLong, resize];
}

/** Python's round(): halves to even, as torchvision's `int(round((h - crop) / 2))`. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Offset of a centre crop of `crop` out of `size` along one axis, as torchvision's `center_crop`
 * (negative where the crop is larger: it zero-pads first, `(crop - size) // 2` before).
 */
export function cropOffset(size: number, crop: number): number {
  return crop > size ? -Math.floor((crop - size) / 2) : roundHalfEven((size - crop) / 2);
}

/**
 * One image as the model's input, [1, H, W, C] NHWC float32, following `p` step by step (see
 * {@link Preprocessing}). The result is what torchvision's ToTensor + Normalize give, transposed
 * to channels-last, for the same preprocessing.
 */
export function preprocess(image: RgbaImage, p: Preprocessing): TensorData {
  checkImage(image);
  checkPreprocessing(p);
  let px = convert(image, p.channels === 'gray');
  if (p.invertLight) px = invertLight(px);
  const [rw, rh] = resizedSize(px.width, px.height, p.resize);
  px = resize(px, rw, rh, p.interpolation);
  const [ch, cw] = p.crop ?? [px.height, px.width];
  const pad = p.pad ?? 0;
  const oh = ch + 2 * pad;
  const ow = cw + 2 * pad;
  const c = px.channels;
  const top = cropOffset(px.height, ch) - pad;
  const left = cropOffset(px.width, cw) - pad;
  // Model channel k reads source channel order[k] (BGR reverses RGB).
  const order = p.channels === 'bgr' ? [2, 1, 0] : p.channels === 'gray' ? [0] : [0, 1, 2];
  const mul = order.map((_, k) => p.scale / p.std[k]!);
  const add = order.map((_, k) => -p.mean[k]! / p.std[k]!);
  const data = new Float32Array(oh * ow * c);
  for (let y = 0; y < oh; y++) {
    const sy = y + top;
    const inside = sy >= 0 && sy < px.height;
    for (let x = 0; x < ow; x++) {
      const sx = x + left;
      const from = inside && sx >= 0 && sx < px.width ? (sy * px.width + sx) * c : -1;
      for (let k = 0; k < c; k++) {
        const v = from < 0 ? 0 : px.data[from + order[k]!]!;
        data[(y * ow + x) * c + k] = v * mul[k]! + add[k]!;
      }
    }
  }
  return { shape: [1, oh, ow, c], data };
}

/** Several images as one batch [N, H, W, C]; each must come out at the same size (a crop or exact resize ensures it). */
export function preprocessBatch(images: readonly RgbaImage[], p: Preprocessing): TensorData {
  if (images.length === 0) throw new ConvzooError('ARGUMENT_INVALID', 'preprocessBatch needs at least one image');
  const tensors = images.map((im) => preprocess(im, p));
  const shape = tensors[0]!.shape;
  const bad = tensors.findIndex((t) => t.shape.join() !== shape.join());
  if (bad >= 0) {
    throw new ConvzooError('ARGUMENT_INVALID', `image ${bad} comes out ${tensors[bad]!.shape.slice(1, 3).join('x')}, image 0 ${shape.slice(1, 3).join('x')}: give the preprocessing a crop`);
  }
  const data = new Float32Array(tensors.length * tensors[0]!.data.length);
  tensors.forEach((t, i) => data.set(t.data, i * t.data.length));
  return { shape: [tensors.length, ...shape.slice(1)], data };
}
