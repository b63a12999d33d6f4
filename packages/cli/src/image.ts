import { FileFormatError, outputSize, type Preprocessing, type TensorData } from '@convzoo/core';
import { readFileChecked } from '@convzoo/core/node';
import { preprocessBatch, type RgbaImage } from '@convzoo/vision';
import { decodeImage } from '@convzoo/vision/node';
import { inflateSync } from 'node:zlib';
import { UsageError } from './errors.js';

/** Largest image accepted for --image, in pixels (16,777,216: 4096 x 4096, a 12-megapixel photo fits, or any shape of that area). */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

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

/**
 * Decodes one --image file (JPEG, PNG, WebP, ... through sharp) to RGBA. PNGs are checked
 * first in our own words (a header claiming more than MAX_IMAGE_PIXELS, missing or cut image data),
 * so a truncated file is refused, never predicted on as a blank or partial image.
 */
export async function readImage(path: string): Promise<RgbaImage> {
  const bytes = Buffer.from(readFileChecked(path));
  if (bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b)) {
    // Refuse a lying header before anything allocates width x height x 4 bytes.
    if (bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR') {
      const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
      if (w * h > MAX_IMAGE_PIXELS) throw new FileFormatError(`PNG claims ${w}x${h} pixels; the limit is ${MAX_IMAGE_PIXELS}`, path);
    }
    checkPng(bytes, path);
  }
  return decodeImage(bytes, { file: path, maxPixels: MAX_IMAGE_PIXELS });
}

/** The images as one batch [N, H, W, C] for a model of input [H, W, C], after `p` (which must give that size). */
export async function readImages(paths: readonly string[], p: Preprocessing, inputShape: readonly number[]): Promise<TensorData> {
  const size = outputSize(p);
  const [h, w, c] = inputShape as [number, number, number];
  const channels = p.channels === 'gray' ? 1 : 3;
  if (size === undefined || size[0] !== h || size[1] !== w || channels !== c) {
    const gives = size === undefined ? 'an image-dependent size' : `${size[0]}x${size[1]}`;
    throw new UsageError(`the preprocessing gives ${gives} with ${channels} channel(s), the model takes ${h}x${w} with ${c} (set --crop ${h},${w} or --resize ${h},${w})`);
  }
  const images: RgbaImage[] = [];
  for (const path of paths) images.push(await readImage(path));
  return preprocessBatch(images, p);
}
