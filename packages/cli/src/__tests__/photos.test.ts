/**
 * predict --image and embed on the photos @convzoo/vision commits (their preprocessing is checked
 * against torchvision there): batch order, top-k and label formatting, --json, --output logits,
 * the seeded-weights warning, overrides, bad images, and embed's layers and aliases.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '@convzoo/core';
import { IMAGENET_CLASSES } from '@convzoo/vision';
import { main } from '../main.js';

const PHOTOS = join(new URL('../../../vision/fixtures/photos', import.meta.url).pathname);
const photos = readdirSync(PHOTOS).map((f) => join(PHOTOS, f));
const root = mkdtempSync(join(tmpdir(), 'photos-'));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) });
  return { code, stdout, stderr };
}

// A small ResNet keeps this fast; its card's ImageNet preprocessing is fitted to 64x64.
const small = ['resnet18', '--input-shape', '64,64,3', '--backend', 'ort-cpu'];

describe('predict --image', () => {
  it('ranks each photo with ImageNet names, writes logits in the order given and warns about seeded weights', async () => {
    const out = join(root, 'logits.npy');
    const r = await run('predict', ...small, '--image', photos[0]!, photos[1]!, photos[2]!, '--top', '3', '--json', '--output', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: resnet18 runs on seeded random weights, not trained ones/m);
    const doc = JSON.parse(r.stdout);
    expect(doc.images.map((i: { image: string }) => i.image)).toEqual(photos.slice(0, 3));
    const logits = decodeNpy(readFileSync(out));
    expect(logits.shape).toEqual([3, 1000]);
    doc.images.forEach(({ top }: { top: { class: number; label: string; probability: number }[] }, n: number) => {
      expect(top).toHaveLength(3);
      const row = Array.from(logits.data.subarray(n * 1000, (n + 1) * 1000));
      expect(top[0]!.class).toBe(row.indexOf(Math.max(...row)));
      expect(top[0]!.label).toBe(IMAGENET_CLASSES[top[0]!.class]);
      expect(top[0]!.probability).toBeGreaterThanOrEqual(top[1]!.probability);
    });
    // The same photo alone gives the same logits as in the batch.
    const one = join(root, 'one.npy');
    expect((await run('predict', ...small, '--image', photos[1]!, '--output', one)).code).toBe(0);
    const single = decodeNpy(readFileSync(one)).data;
    for (let i = 0; i < 1000; i++) expect(single[i]).toBeCloseTo(logits.data[1000 + i]!, 4);
  });

  it('prints "rank. label  percent" lines, under each file name when there are several', async () => {
    const one = await run('predict', ...small, '--image', photos[0]!, '--top', '2');
    expect(one.stdout).toMatch(/^1\. \S.*  \d+\.\d%\n2\. \S.*  \d+\.\d%\n$/);
    const two = await run('predict', ...small, '--image', photos[0]!, photos[1]!, '--top', '1');
    expect(two.stdout).toMatch(new RegExp(`^${photos[0]}\\n  1\\. .+%\\n${photos[1]}\\n  1\\. .+%\\n$`));
  });

  it('overrides the preprocessing with --resize, --crop, --mean and --std', async () => {
    const a = join(root, 'a.npy');
    const b = join(root, 'b.npy');
    expect((await run('predict', ...small, '--image', photos[0]!, '--output', a)).code).toBe(0);
    const r = await run('predict', ...small, '--image', photos[0]!, '--output', b, '--resize', '64,64', '--mean', '0.5,0.5,0.5', '--std', '0.5,0.5,0.5');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(a)).not.toEqual(readFileSync(b));
  });

  it.each<[string, string[], string]>([
    ['a crop that is not the input', ['--crop', '32'], 'the preprocessing gives 32x32 with 3 channel(s), the model takes 64x64 with 3'],
    ['a bad mean', ['--mean', '0.5,x,0.5'], '--mean must be 3 comma-separated number(s), got "0.5,x,0.5"'],
    ['a bad resize', ['--resize', '0'], '--resize must be N or H,W'],
    ['a bad interpolation', ['--interpolation', 'lanczos'], '--interpolation must be one of nearest, bilinear, bicubic'],
    ['--top 0', ['--top', '0'], '--top must be a decimal integer from 1'],
  ])('refuses %s with exit code 2', async (_n, flags, message) => {
    const r = await run('predict', ...small, '--image', photos[0]!, ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a truncated JPEG is an error, never a prediction, and nothing is written', async () => {
    const jpg = photos.find((p) => p.endsWith('.jpg'))!;
    const cut = join(root, 'cut.jpg');
    writeFileSync(cut, readFileSync(jpg).subarray(0, 4000));
    const out = join(root, 'never.npy');
    const r = await run('predict', ...small, '--image', photos[0]!, cut, '--output', out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^convzoo predict: ${cut}: not a readable image: `));
    expect(existsSync(out)).toBe(false);
  });

  it('preprocessing flags apply to --image only', async () => {
    const r = await run('predict', 'lenet5', '--input', 'X.npy', '--output', 'Y.npy', '--crop', '28');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--crop applies only to --image');
  });
});

describe('embed', () => {
  it('writes a layer by node name or torchvision alias, NHWC or NCHW', async () => {
    const a = join(root, 'layer4.npy');
    const r = await run('embed', ...small, '--image', photos[0]!, photos[3]!, '--layer', 'layer4', '--output', a);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('layer4_1_relu (layer4) [2, 2, 2, 512]');
    const b = join(root, 'node.npy');
    expect((await run('embed', ...small, '--image', photos[0]!, photos[3]!, '--layer', 'layer4_1_relu', '--output', b, '--layout', 'nchw')).code).toBe(0);
    const nhwc = decodeNpy(readFileSync(a));
    const nchw = decodeNpy(readFileSync(b));
    expect(nchw.shape).toEqual([2, 512, 2, 2]);
    // element (n=1, h=0, w=1, c=7) in both layouts
    expect(nchw.data[((1 * 512 + 7) * 2 + 0) * 2 + 1]).toBe(nhwc.data[((1 * 2 + 0) * 2 + 1) * 512 + 7]);
    const pooled = join(root, 'avgpool.npy');
    expect((await run('embed', ...small, '--image', photos[0]!, '--layer', 'avgpool', '--output', pooled)).code).toBe(0);
    expect(decodeNpy(readFileSync(pooled)).shape).toEqual([1, 512]);
  });

  it('an unknown layer is one clear line', async () => {
    const r = await run('embed', ...small, '--image', photos[0]!, '--layer', 'layer9', '--output', join(root, 'x.npy'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('convzoo embed: no layer "layer9" in resnet18: give a node name (convzoo summary lists them)');
  });
});
