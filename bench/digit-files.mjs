// MNIST digits written out as image files for the image-folder benches: grey PNG and RGB JPEG
// alternating, class folders named by words.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(import.meta.dirname, '../packages/cli/package.json'));
export const sharp = require('sharp');
const { loadMnist } = await import(require.resolve('@convzoo/datasets'));
export const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

let mnist;
/** `perClass` training digits of each of `digits`, from MNIST training sample `offset` on, into dir/<word>/. */
export async function writeDigits(dir, perClass, offset, digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
  mnist ??= loadMnist({ split: 'train', normalize: 'unit' });
  const m = mnist;
  const counts = new Map(digits.map((d) => [d, 0]));
  for (let i = offset; i < m.labels.length && [...counts.values()].some((c) => c < perClass); i++) {
    const label = m.labels[i];
    if (!(counts.get(label) < perClass)) continue;
    const px = Buffer.from(m.images.data.subarray(i * 784, (i + 1) * 784).map((v) => Math.round(v * 255)));
    const folder = join(dir, WORDS[label]);
    mkdirSync(folder, { recursive: true });
    const image = sharp(px, { raw: { width: 28, height: 28, channels: 1 } });
    const k = counts.get(label);
    counts.set(label, k + 1);
    if (k % 2 === 0) writeFileSync(join(folder, `${i}.png`), await image.png().toBuffer());
    else writeFileSync(join(folder, `${i}.jpg`), await image.toColourspace('srgb').jpeg({ quality: 95 }).toBuffer());
  }
}
