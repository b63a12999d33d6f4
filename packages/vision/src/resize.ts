/**
 * Resampling exactly as Pillow does it on 8-bit images, since torchvision, timm and Keras all
 * resize PIL images: `ImagingResample` (separable filter whose support grows with the downscale
 * factor, i.e. antialiased; coefficients in 22-bit fixed point; horizontal pass first, each pass
 * rounding to uint8) for bilinear and bicubic, and the affine nearest-neighbour path for nearest.
 */
import type { Interpolation } from '@convzoo/core';

/** Interleaved 8-bit pixels, `channels` per pixel, row-major. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;

interface Filter {
  readonly support: number;
  at(x: number): number;
}

const FILTERS: Record<'bilinear' | 'bicubic', Filter> = {
  bilinear: { support: 1, at: (x) => (x < 0 ? -x : x) < 1 ? 1 - (x < 0 ? -x : x) : 0 },
  bicubic: {
    support: 2,
    at: (x) => {
      const a = -0.5;
      const t = x < 0 ? -x : x;
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
};

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc: per output index, the first input index and fixed-point weights. */
function coefficients(inSize: number, outSize: number, filter: Filter): { bounds: Int32Array; weights: Int32Array[] } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const bounds = new Int32Array(outSize);
  const weights: Int32Array[] = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = new Float64Array(Math.max(xmax, 0));
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = filter.at((x + xmin - center + 0.5) / filterScale);
      ww += k[x]!;
    }
    const fixed = new Int32Array(k.length);
    for (let x = 0; x < k.length; x++) {
      const w = ww !== 0 ? k[x]! / ww : k[x]!;
      fixed[x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx] = xmin;
    weights.push(fixed);
  }
  return { bounds, weights };
}

function clip8(v: number): number {
  if (v >= ONE * 256) return 255;
  if (v <= 0) return 0;
  return Math.floor(v / ONE);
}

/**
 * One separable pass along x (`horizontal`) or y, into a new buffer of `outSize` along that axis.
 * Written as the distance between taps (`step`) so the inner loop has no branch: resizing is
 * most of the cost of preprocessing a photo.
 */
function pass(src: Pixels, outSize: number, filter: Filter, horizontal: boolean): Pixels {
  const { width, height, channels: c, data } = src;
  const { bounds, weights } = coefficients(horizontal ? width : height, outSize, filter);
  const ow = horizontal ? outSize : width;
  const oh = horizontal ? height : outSize;
  const step = horizontal ? c : width * c;
  const out = new Uint8Array(ow * oh * c);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const i = horizontal ? x : y;
      const k = weights[i]!;
      const taps = k.length;
      const base = horizontal ? (y * width + bounds[i]!) * c : (bounds[i]! * width + x) * c;
      const o = (y * ow + x) * c;
      for (let ch = 0; ch < c; ch++) {
        let ss = ONE / 2;
        for (let j = 0, at = base + ch; j < taps; j++, at += step) ss += data[at]! * k[j]!;
        out[o + ch] = clip8(ss);
      }
    }
  }
  return { width: ow, height: oh, channels: c, data: out };
}

/** Pillow's ImagingScaleAffine for NEAREST: source index floor((x + 0.5) * scale), accumulated as Pillow does. */
function nearest(src: Pixels, width: number, height: number): Pixels {
  const c = src.channels;
  const sx = src.width / width;
  const sy = src.height / height;
  const xs = new Int32Array(width);
  let xo = sx * 0.5;
  for (let x = 0; x < width; x++) {
    xs[x] = Math.min(Math.trunc(xo), src.width - 1);
    xo += sx;
  }
  const out = new Uint8Array(width * height * c);
  let yo = sy * 0.5;
  for (let y = 0; y < height; y++) {
    const row = Math.min(Math.trunc(yo), src.height - 1);
    yo += sy;
    for (let x = 0; x < width; x++) {
      const from = (row * src.width + xs[x]!) * c;
      out.set(src.data.subarray(from, from + c), (y * width + x) * c);
    }
  }
  return { width, height, channels: c, data: out };
}

/** `Image.resize((width, height), filter)` as Pillow computes it on an 8-bit image. */
export function resize(src: Pixels, width: number, height: number, interpolation: Interpolation): Pixels {
  if (width === src.width && height === src.height) return src;
  if (interpolation === 'nearest') return nearest(src, width, height);
  const filter = FILTERS[interpolation];
  // Pillow runs only the passes whose size changes, horizontal first.
  const h = width !== src.width ? pass(src, width, filter, true) : src;
  return height !== src.height ? pass(h, height, filter, false) : h;
}
