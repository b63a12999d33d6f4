import { ConvzooError } from '@convzoo/core';
import type { RgbaImage } from './preprocess.js';

/**
 * Decodes an image in a browser (or a worker) with `createImageBitmap`, without colour-space
 * conversion or premultiplied alpha, so the pixels are the file's as Pillow reads them (within a
 * JPEG decoder's rounding). A file the browser cannot decode (truncated, not an image) rejects
 * with a ConvzooError 'FILE_INVALID'; nothing is ever returned blank.
 */
export async function decodeImage(source: Blob | ImageBitmapSource): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(source, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'none' } as ImageBitmapOptions);
  } catch (e) {
    throw new ConvzooError('FILE_INVALID', `not a readable image: ${(e as Error).message}`);
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw new ConvzooError('FILE_INVALID', `not a readable image: it has no pixels (${width}x${height})`);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new ConvzooError('UNSUPPORTED', 'no 2d canvas context to read the image pixels from');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, width, height);
    return { width, height, data };
  } finally {
    bitmap.close();
  }
}
