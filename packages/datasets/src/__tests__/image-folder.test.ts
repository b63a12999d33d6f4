import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { MNIST, fitPreprocessing } from '@convzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { augment, imageFolder } from '../index.js';

const p = fitPreprocessing(MNIST, [32, 32, 1]);

/** A 28x28 digit-like image: a bright square whose position encodes `k`. */
function pixels(k: number): Buffer {
  const px = Buffer.alloc(28 * 28);
  for (let y = 4; y < 12; y++) for (let x = 0; x < 8; x++) px[y * 28 + ((k * 3 + x) % 28)] = 255;
  return px;
}

async function write(dir: string, k: number, jpeg: boolean): Promise<void> {
  const grey = sharp(pixels(k), { raw: { width: 28, height: 28, channels: 1 } });
  if (jpeg) writeFileSync(`${dir}/${k}.jpg`, await grey.toColourspace('srgb').jpeg({ quality: 95 }).toBuffer());
  else writeFileSync(`${dir}/${k}.png`, await grey.png().toBuffer());
}

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'convzoo-folder-'));
  for (const split of ['train', 'val']) {
    for (const name of ['two', 'one', 'three']) {
      mkdirSync(join(root, split, name), { recursive: true });
      for (let k = 0; k < (split === 'train' ? 6 : 2); k++) await write(join(root, split, name), k, k % 2 === 1);
    }
  }
});

describe('imageFolder', () => {
  it('reads train/ and val/ class folders, classes sorted, mixed PNG and JPEG, as the model input', async () => {
    const f = await imageFolder(root, { preprocessing: p });
    expect(f.classes).toEqual(['one', 'three', 'two']);
    expect(f.train.size).toBe(18);
    expect(f.val!.size).toBe(6);
    expect(f.train.sampleShape).toEqual([32, 32, 1]);
    const b = await f.train.batch(Uint32Array.of(0, 17));
    expect(b.x.length).toBe(2 * 32 * 32);
    expect([...b.y]).toEqual([0, 2]);
    // The border is the preset's zero padding, normalised: (0 - mean) / std.
    expect(b.x[0]).toBeCloseTo(-0.1307 / 0.3081, 5);
  });

  it('splits one folder of class folders by a seeded fraction', async () => {
    const a = await imageFolder(join(root, 'train'), { preprocessing: p, valSplit: 1 / 3, seed: 4 });
    const b = await imageFolder(join(root, 'train'), { preprocessing: p, valSplit: 1 / 3, seed: 4 });
    expect([a.train.size, a.val!.size]).toEqual([12, 6]);
    expect(a.val!.samples).toEqual(b.val!.samples);
    await expect(imageFolder(root, { preprocessing: p, valSplit: 0.2 })).rejects.toThrow(/has a val\/ folder already/);
  });

  it('lists unreadable files before anything is decoded, or skips and counts them with skipBad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-bad-'));
    mkdirSync(join(dir, 'a'));
    await write(join(dir, 'a'), 0, false);
    writeFileSync(join(dir, 'a', 'broken.png'), 'not an image');
    writeFileSync(join(dir, 'a', 'notes.txt'), 'hello');
    await expect(imageFolder(dir, { preprocessing: p })).rejects.toThrow(/2 unreadable file\(s\)[^]*broken\.png[^]*notes\.txt: not a \.jpg/);
    const f = await imageFolder(dir, { preprocessing: p, skipBad: true });
    expect(f.train.size).toBe(1);
    expect(f.skipped).toHaveLength(2);
  });

  it('maps class folders onto given class names and refuses one that is not among them', async () => {
    const f = await imageFolder(root, { preprocessing: p, classes: ['zero', 'one', 'two', 'three'] });
    expect([...f.val!.labels].sort()).toEqual([1, 1, 2, 2, 3, 3]);
    await expect(imageFolder(root, { preprocessing: p, classes: ['one', 'two'] })).rejects.toThrow(/three: no such class/);
  });

  it('augments training batches only, the same for the same (seed, epoch), differently per epoch', async () => {
    const f = await imageFolder(root, { preprocessing: p, augment: { crop: { scale: [0.5, 1] }, flip: true, jitter: { brightness: 0.4 } }, seed: 1 });
    const i = Uint32Array.of(3, 4, 5);
    const [e0, again, e1, plain] = [await f.train.batch(i, 0), await f.train.batch(i, 0), await f.train.batch(i, 1), await f.train.batch(i)];
    expect(e0.x).toEqual(again.x);
    expect(e0.x).not.toEqual(e1.x);
    const unaugmented = await (await imageFolder(root, { preprocessing: p })).train.batch(i);
    expect(plain.x).toEqual(unaugmented.x);
  });

  it('augment: a flip mirrors, a full-area crop with ratio 1 of a square keeps every pixel', () => {
    const image = { width: 2, height: 2, data: Uint8Array.of(1, 1, 1, 255, 2, 2, 2, 255, 3, 3, 3, 255, 4, 4, 4, 255) };
    const same = augment(image, { crop: { scale: [1, 1], ratio: [1, 1] } }, 0, 0, 0);
    expect([...same.data]).toEqual([...image.data]);
    // Some (epoch, sample) draws a flip; a flipped row reads right to left.
    const flips = Array.from({ length: 8 }, (_, s) => augment(image, { flip: true }, 0, 0, s).data[0]);
    expect(new Set(flips)).toEqual(new Set([1, 2]));
  });
});
