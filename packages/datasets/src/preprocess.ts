/** How pixel bytes become model inputs. */
export interface PreprocessOptions {
  /** Zero pixels added on each side (2 turns MNIST's 28x28 into LeNet-5's 32x32). Default 0. */
  readonly pad?: number;
  /**
   * 'standard' (default): (x/255 - mean) / std with the dataset's statistics (as torchvision);
   * 'unit': x/255 in [0, 1].
   */
  readonly normalize?: 'standard' | 'unit';
}

/** Turns N grayscale uint8 images (h x w) into NHWC float32, padded and normalized. */
export function preprocess(
  pixels: Uint8Array, n: number, h: number, w: number, stats: { mean: number; std: number }, opts: PreprocessOptions = {},
): { shape: [number, number, number, number]; data: Float32Array } {
  const pad = opts.pad ?? 0;
  const standard = (opts.normalize ?? 'standard') === 'standard';
  const scale = standard ? 1 / (255 * stats.std) : 1 / 255;
  const shift = standard ? -stats.mean / stats.std : 0;
  const oh = h + 2 * pad;
  const ow = w + 2 * pad;
  // Padding takes the value of a black pixel after normalization, as padding the raw image would.
  const data = new Float32Array(n * oh * ow).fill(shift);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      const src = (i * h + y) * w;
      const dst = (i * oh + y + pad) * ow + pad;
      for (let x = 0; x < w; x++) data[dst + x] = pixels[src + x]! * scale + shift;
    }
  }
  return { shape: [n, oh, ow, 1], data };
}
