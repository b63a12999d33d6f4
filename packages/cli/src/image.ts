import { FileFormatError, type TensorData } from '@convzoo/core';
import { readFileChecked } from '@convzoo/core/node';
import { PNG } from 'pngjs';

/** Largest PNG accepted for --image, in pixels (a 4096 x 4096 photo). */
export const MAX_PNG_PIXELS = 4096 * 4096;

/** How a model directory says its inputs were prepared (written by `convzoo train`). */
export interface InputPreprocess {
  readonly mean: number;
  readonly std: number;
  /** Border the training images had around the digit (LeNet-5: MNIST's 28x28 padded by 2 to 32x32). */
  readonly pad: number;
}

/**
 * A PNG as one model input [1, H, W, 1]: grayscale (luma, alpha over white), white-on-black
 * like MNIST (a light background is inverted), resized with bilinear sampling to the model's
 * input less the training border, framed by that border, then normalized as in training.
 */
export function readDigitPng(path: string, inputShape: readonly number[], prep: InputPreprocess): TensorData {
  const [h, w, c] = inputShape as [number, number, number];
  if (c !== 1) throw new FileFormatError(`--image needs a single-channel model (like lenet5), this one takes ${c} channels`, path);
  const bytes = Buffer.from(readFileChecked(path));
  // Refuse a lying header before the decoder allocates width x height x 4 bytes.
  if (bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    const pixels = bytes.readUInt32BE(16) * bytes.readUInt32BE(20);
    if (pixels > MAX_PNG_PIXELS) throw new FileFormatError(`PNG claims ${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)} pixels; the limit is ${MAX_PNG_PIXELS}`, path);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    throw new FileFormatError(`not a readable PNG (${(e as Error).message})`, path);
  }
  const gray = new Float32Array(png.width * png.height);
  for (let i = 0; i < gray.length; i++) {
    const [r, g, b, a] = [png.data[4 * i]!, png.data[4 * i + 1]!, png.data[4 * i + 2]!, png.data[4 * i + 3]! / 255];
    gray[i] = (0.299 * r + 0.587 * g + 0.114 * b) * a + 255 * (1 - a);
  }
  let border = 0;
  for (let x = 0; x < png.width; x++) border += gray[x]! + gray[(png.height - 1) * png.width + x]!;
  const invert = border / (2 * png.width) > 127;
  const black = (0 - prep.mean) / prep.std;
  const data = new Float32Array(h * w).fill(black);
  const ih = h - 2 * prep.pad;
  const iw = w - 2 * prep.pad;
  for (let y = 0; y < ih; y++) {
    for (let x = 0; x < iw; x++) {
      const sy = Math.min(Math.max(((y + 0.5) * png.height) / ih - 0.5, 0), png.height - 1);
      const sx = Math.min(Math.max(((x + 0.5) * png.width) / iw - 0.5, 0), png.width - 1);
      const y0 = Math.floor(sy), x0 = Math.floor(sx);
      const y1 = Math.min(y0 + 1, png.height - 1), x1 = Math.min(x0 + 1, png.width - 1);
      const fy = sy - y0, fx = sx - x0;
      const at = (yy: number, xx: number) => gray[yy * png.width + xx]!;
      let v = (at(y0, x0) * (1 - fx) + at(y0, x1) * fx) * (1 - fy) + (at(y1, x0) * (1 - fx) + at(y1, x1) * fx) * fy;
      if (invert) v = 255 - v;
      data[(y + prep.pad) * w + x + prep.pad] = (v / 255 - prep.mean) / prep.std;
    }
  }
  return { shape: [1, h, w, 1], data };
}

export function softmax(logits: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(logits));
  const e = Array.from(logits, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
