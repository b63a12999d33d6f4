import { FileFormatError, type TensorData } from '@convzoo/core';
import { readFileChecked } from '@convzoo/core/node';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/** Largest PNG accepted for --image, in pixels (16,777,216: 4096 x 4096, or any shape of that area). */
export const MAX_PNG_PIXELS = 4096 * 4096;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: x0, y0, dx, dy. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

/**
 * Checks what the decoder would let pass: the chunk layout (IHDR first, chunks within the file,
 * IEND present), at least one IDAT, and IDAT data that inflates to every row the header
 * promises. A file without IDAT, or with a cut one, would otherwise predict on a blank or
 * partial image. Errors say what is wrong in our words, not the decoder's.
 */
function checkPng(bytes: Buffer, path: string): void {
  const bad = (what: string) => new FileFormatError(`not a readable PNG: ${what}`, path);
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw bad('no PNG signature');
  const idat: Buffer[] = [];
  let header: { width: number; height: number; depth: number; color: number; interlace: number } | undefined;
  let pos = 8;
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) throw bad('the file is truncated (no IEND chunk)');
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > bytes.length) throw bad(`the ${type} chunk is truncated (${length} bytes claimed, ${bytes.length - pos - 12} present)`);
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (header === undefined && type !== 'IHDR') throw bad(`the first chunk is ${type}, expected IHDR`);
    if (type === 'IHDR') {
      if (length !== 13) throw bad(`IHDR holds ${length} bytes, expected 13`);
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8]!, color: body[9]!, interlace: body[12]! };
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') ended = true;
    pos += 12 + length;
  }
  const { width, height, depth, color, interlace } = header!;
  if (CHANNELS[color] === undefined || ![1, 2, 4, 8, 16].includes(depth)) throw bad(`color type ${color} with bit depth ${depth} is not a PNG pixel format`);
  if (idat.length === 0) throw bad('no image data (no IDAT chunk)');
  const rowBytes = (w: number) => 1 + Math.ceil((w * CHANNELS[color]! * depth) / 8);
  const passes = interlace === 1 ? ADAM7 : [[0, 0, 1, 1] as const];
  let expected = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) expected += h * rowBytes(w);
  }
  let inflated: number;
  try {
    inflated = inflateSync(Buffer.concat(idat), { maxOutputLength: expected }).length;
  } catch (e) {
    // More data than the rows need is the decoder's business; less, or a broken stream, is not.
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return;
    throw bad('the IDAT image data is truncated or corrupt');
  }
  if (inflated < expected) throw bad(`the IDAT image data holds ${inflated} of the ${expected} bytes the ${width}x${height} image needs (truncated)`);
}

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
  checkPng(bytes, path);
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch {
    throw new FileFormatError('not a readable PNG: corrupt or unsupported data', path);
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
