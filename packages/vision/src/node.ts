/**
 * Image decoding in Node (the `@convzoo/vision/node` entry) with sharp: JPEG, PNG, WebP, GIF,
 * TIFF and AVIF through the libvips that sharp's registry packages ship prebuilt.
 */
import sharp from 'sharp';
import { FileFormatError } from '@convzoo/core';
import type { RgbaImage } from './preprocess.js';

/** Default cap on decoded pixels (a 64-megapixel photo), checked from the header before decoding. */
export const MAX_IMAGE_PIXELS = 8192 * 8192;

export interface DecodeOptions {
  /** Refuse images with more pixels than this (default {@link MAX_IMAGE_PIXELS}). */
  readonly maxPixels?: number;
  /** Named in error messages. */
  readonly file?: string;
}

/**
 * Decodes image bytes to RGBA as Pillow would read them: no EXIF rotation, no colour
 * management, 8 bits per channel, grey expanded to RGB, alpha 255 where the file has none.
 * Truncated or corrupt data is a FileFormatError (sharp's `failOn: 'warning'`), never a partly
 * blank image.
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<RgbaImage> {
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  try {
    const { data, info } = await sharp(bytes, { failOn: 'warning', limitInputPixels: maxPixels, pages: 1 })
      .toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoded ${info.channels} channels, expected 4`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0]!.replace(/^Input (buffer|file) /, '');
    throw new FileFormatError(`not a readable image: ${message}`, options.file);
  }
}
