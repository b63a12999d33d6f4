/**
 * The preprocessing against torchvision's and Pillow's own outputs, committed by
 * scripts/make_fixtures.py: photos decoded here (sharp) and preprocessed here must give
 * torchvision's ImageNet tensor (PIL decode, Resize(256), CenterCrop(224), ToTensor, Normalize).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERAS_CAFFE, MNIST, TORCHVISION_IMAGENET, fitPreprocessing, timmPreprocessing, type Interpolation } from '@convzoo/core';
import { cropOffset, preprocess, preprocessBatch, resize, resizedSize } from '../index.js';
import { decodeImage } from '../node.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const PHOTOS = readdirSync(join(FIXTURES, 'photos'));

/** A uint8 .npy's data (the fixtures are numpy's format 1.0 with a 128-byte header). */
function npyBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  const headerLen = b.readUInt16LE(8);
  expect(b.toString('latin1', 10, 10 + headerLen)).toContain("'descr': '|u1'");
  return b.subarray(10 + headerLen);
}

describe('torchvision ImageNet preprocessing', () => {
  it('has JPEG and PNG photos of several sizes', () => {
    expect(PHOTOS.filter((f) => f.endsWith('.jpg')).length).toBeGreaterThanOrEqual(2);
    expect(PHOTOS.filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(PHOTOS)('%s is within 2/255 of torchvision', async (photo) => {
    const image = await decodeImage(readFileSync(join(FIXTURES, 'photos', photo)));
    const t = preprocess(image, TORCHVISION_IMAGENET);
    expect(t.shape).toEqual([1, 224, 224, 3]);
    const ref = npyBytes(join(FIXTURES, 'torchvision', photo.replace(/\.\w+$/, '.npy')));
    let max = 0;
    for (let i = 0; i < ref.length; i++) {
      const k = i % 3;
      const expected = (ref[i]! / 255 - MEAN[k]!) / STD[k]!;
      max = Math.max(max, Math.abs(t.data[i]! - expected) * STD[k]!);
    }
    console.log(`${photo} ${image.width}x${image.height}: max |ours - torchvision| = ${(max * 255).toFixed(4)}/255`);
    expect(max).toBeLessThanOrEqual(2 / 255);
  });
});

describe("Pillow's resize", () => {
  const fx = JSON.parse(readFileSync(join(FIXTURES, 'pil-resize.json'), 'utf8')) as {
    width: number; height: number; data: number[]; gray: number[];
    cases: { width: number; height: number; interpolation: Interpolation; data: number[] }[];
  };
  const src = { width: fx.width, height: fx.height, channels: 3, data: Uint8Array.from(fx.data) };

  it.each(fx.cases.map((c) => [`${c.interpolation} ${fx.width}x${fx.height} -> ${c.width}x${c.height}`, c] as const))('%s is byte-exact', (_n, c) => {
    expect(Array.from(resize(src, c.width, c.height, c.interpolation).data)).toEqual(c.data);
  });

  it("grey is convert('L')", () => {
    const rgba = new Uint8Array(fx.width * fx.height * 4);
    for (let i = 0; i < fx.width * fx.height; i++) rgba.set([...fx.data.slice(3 * i, 3 * i + 3), 255], 4 * i);
    const p = { ...MNIST, resize: [fx.height, fx.width] as const, pad: 0, invertLight: false, scale: 1, mean: [0], std: [1] };
    expect(Array.from(preprocess({ width: fx.width, height: fx.height, data: rgba }, p).data)).toEqual(fx.gray);
  });
});

describe('sizes and offsets as torchvision computes them', () => {
  it('Resize(256): the long side is int(256 * long / short)', () => {
    expect(resizedSize(500, 200, 256)).toEqual([640, 256]);
    expect(resizedSize(293, 221, 256)).toEqual([339, 256]);
    expect(resizedSize(200, 300, 256)).toEqual([256, 384]);
    expect(resizedSize(9, 9, [4, 7])).toEqual([7, 4]);
  });

  it('CenterCrop offsets round halves to even, and pad a larger crop', () => {
    expect(cropOffset(339, 224)).toBe(58); // round(57.5)
    expect(cropOffset(337, 224)).toBe(56); // round(56.5)
    expect(cropOffset(256, 224)).toBe(16);
    expect(cropOffset(200, 224)).toBe(-12);
  });
});

describe('presets', () => {
  const image = { width: 4, height: 2, data: Uint8Array.from({ length: 32 }, (_, i) => (i % 4 === 3 ? 255 : i * 8)) };

  it('Keras caffe: BGR, mean subtracted, no scaling', () => {
    const t = preprocess(image, { ...KERAS_CAFFE, resize: [2, 4] });
    expect(t.shape).toEqual([1, 2, 4, 3]);
    expect(Array.from(t.data.slice(0, 3))).toEqual([16 - 103.939, 8 - 116.779, 0 - 123.68].map(Math.fround));
  });

  it('MNIST: a light image is inverted and framed by a zero border', () => {
    const white = { width: 3, height: 3, data: new Uint8Array(36).fill(255) };
    const t = preprocess(white, MNIST);
    expect(t.shape).toEqual([1, 32, 32, 1]);
    expect(new Set(t.data)).toEqual(new Set([Math.fround(-0.1307 / 0.3081)]));
  });

  it('timm: shorter side floor(size / crop_pct), bicubic by default', () => {
    expect(timmPreprocessing({ cropPct: 0.9 })).toMatchObject({ resize: 248, crop: [224, 224], interpolation: 'bicubic' });
    expect(timmPreprocessing({ inputSize: [3, 256, 192], cropPct: 1 })).toMatchObject({ resize: [256, 192], crop: [256, 192] });
  });

  it('fits another input size keeping the proportions', () => {
    expect(fitPreprocessing(TORCHVISION_IMAGENET, [128, 128, 3])).toMatchObject({ resize: 146, crop: [128, 128] });
    expect(fitPreprocessing(MNIST, [28, 28, 1])).toMatchObject({ resize: [24, 24], pad: 2 });
    expect(() => fitPreprocessing(TORCHVISION_IMAGENET, [224, 224, 1])).toThrow('gives 3 channel(s), the model takes 1');
  });

  it('batches images of different sizes to one tensor', () => {
    const t = preprocessBatch([image, { width: 2, height: 5, data: new Uint8Array(40) }], fitPreprocessing(TORCHVISION_IMAGENET, [2, 2, 3]));
    expect(t.shape).toEqual([2, 2, 2, 3]);
  });
});

describe('bad images', () => {
  it('an image without pixels, or short of bytes, is refused', () => {
    expect(() => preprocess({ width: 0, height: 3, data: new Uint8Array(0) }, TORCHVISION_IMAGENET)).toThrow('has no pixels (0x3)');
    expect(() => preprocess({ width: 2, height: 2, data: new Uint8Array(15) }, TORCHVISION_IMAGENET)).toThrow('needs 16 bytes, got 15');
  });

  it.each(PHOTOS)('%s cut short is a FileFormatError, not a blank image', async (photo) => {
    const bytes = readFileSync(join(FIXTURES, 'photos', photo));
    await expect(decodeImage(bytes.subarray(0, Math.floor(bytes.length * 0.6)), { file: photo })).rejects.toThrow(`${photo}: not a readable image`);
  });

  it('not an image, and too many pixels', async () => {
    await expect(decodeImage(new TextEncoder().encode('hello'))).rejects.toThrow('not a readable image: contains unsupported image format');
    const bytes = readFileSync(join(FIXTURES, 'photos', PHOTOS[0]!));
    await expect(decodeImage(bytes, { maxPixels: 100 })).rejects.toThrow('not a readable image: ');
  });
});
