/**
 * The @convzoo/datasets README's "Your own images" example (imageFolder + fit + evaluate), run
 * as written with node on a folder of MNIST digits written out as files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '@convzoo/datasets';

const cli = fileURLToPath(new URL('../..', import.meta.url));

/** The first ```js block after `heading` in a markdown file. */
function example(markdown: string, heading: string): string {
  const section = markdown.slice(markdown.indexOf(heading));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!section.startsWith(heading) || m === null) throw new Error(`no js example under "${heading}"`);
  return m[1]!;
}

describe('README example: your own images through the API', () => {
  it('runs as written: classes from the folders, the split, fit and evaluate on ort-cpu', async () => {
    const root = mkdtempSync(join(tmpdir(), 'convzoo-readme-'));
    // 30 zeros and 30 ones, PNG and JPEG.
    const m = loadMnist({ split: 'train', normalize: 'unit' });
    const counts = [0, 0];
    for (let i = 0; counts.some((c) => c < 30); i++) {
      const label = m.labels[i]!;
      if (label > 1 || counts[label]! >= 30) continue;
      const dir = join(root, 'digits', label === 0 ? 'zero' : 'one');
      mkdirSync(dir, { recursive: true });
      const px = Buffer.from(m.images.data.subarray(i * 784, (i + 1) * 784).map((v) => Math.round(v * 255)));
      const image = sharp(px, { raw: { width: 28, height: 28, channels: 1 } });
      if (counts[label]!++ % 2 === 0) writeFileSync(join(dir, `${i}.png`), await image.png().toBuffer());
      else writeFileSync(join(dir, `${i}.jpg`), await image.toColourspace('srgb').jpeg().toBuffer());
    }
    // The example resolves the packages as an installed project would: through node_modules.
    symlinkSync(join(cli, 'node_modules'), join(root, 'node_modules'), 'dir');
    writeFileSync(join(root, 'example.mjs'), example(readFileSync(join(cli, '../datasets/README.md'), 'utf8'), '## Your own images'));
    const out = execFileSync(process.execPath, ['example.mjs', 'digits'], { cwd: root, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(r).toMatchObject({ classes: ['one', 'zero'], train: 48, val: 12, epochs: 3 });
    // Zeros and ones apart after 9 steps (seeded, so the same number every run; 1 is all right).
    expect(r.accuracy).toBeGreaterThanOrEqual(11 / 12);
  }, 120_000);
});
