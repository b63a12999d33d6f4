/**
 * convzoo train --data / eval --data end to end on MNIST digits written out as files (grey PNG
 * and RGB JPEG, class folders named by words), and --resume refusing conflicting flags.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '@convzoo/datasets';
import { defaultEpochs } from '../commands/train.js';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** `perClass` digits of each class from MNIST's raw pixels, from sample `offset` on. */
async function writeDigits(dir: string, perClass: number, offset: number): Promise<void> {
  const m = loadMnist({ split: 'train', normalize: 'unit' });
  const counts = new Array<number>(10).fill(0);
  for (let i = offset; i < m.labels.length && counts.some((c) => c < perClass); i++) {
    const label = m.labels[i]!;
    if (counts[label]! >= perClass) continue;
    const px = Buffer.from(m.images.data.subarray(i * 784, (i + 1) * 784).map((v) => Math.round(v * 255)));
    const folder = join(dir, WORDS[label]!);
    mkdirSync(folder, { recursive: true });
    const image = sharp(px, { raw: { width: 28, height: 28, channels: 1 } });
    const k = counts[label]!++;
    if (k % 2 === 0) writeFileSync(join(folder, `${i}.png`), await image.png().toBuffer());
    else writeFileSync(join(folder, `${i}.jpg`), await image.toColourspace('srgb').jpeg({ quality: 95 }).toBuffer());
  }
}

describe('convzoo train --data and eval --data', () => {
  it('LeNet-5 by default runs at least 1,000 steps: more epochs on a small folder, 8 on MNIST, at most 32', () => {
    const lenet = { arch: 'lenet5', epochs: 8, batchSize: 64 };
    // 500 digits per class less 1/12: 72 steps an epoch.
    expect(defaultEpochs(lenet, 4583)).toBe(14);
    expect(defaultEpochs(lenet, 55_000)).toBe(8);
    expect(defaultEpochs(lenet, 11)).toBe(32);
    // A longer base wins; other architectures keep theirs.
    expect(defaultEpochs({ ...lenet, epochs: 20 }, 4583)).toBe(20);
    expect(defaultEpochs({ arch: 'resnet18', epochs: 2, batchSize: 32 }, 100)).toBe(2);
  });

  it('LeNet-5 from a folder of digit files: class names stored, eval per class, resume refuses a conflicting flag', async () => {
    const root = mkdtempSync(join(tmpdir(), 'convzoo-folder-cli-'));
    await writeDigits(join(root, 'digits', 'train'), 40, 0);
    await writeDigits(join(root, 'held-out'), 10, 30_000);
    const out = join(root, 'model');
    const r = await run('train', 'lenet5', '--data', join(root, 'digits'), '--epochs', '3', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(367 train \/ 33 validation images, 10 classes\)/);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history.config.data).toBe(join(root, 'digits'));
    const e = await run('eval', out, '--data', join(root, 'held-out'), '--json');
    expect(e.code, e.stderr).toBe(0);
    const doc = JSON.parse(e.stdout);
    expect(doc.count).toBe(100);
    expect(doc.classes).toEqual([...WORDS].sort());
    expect(Object.keys(doc.perClass).sort()).toEqual([...WORDS].sort());
    expect(doc.perClass.one.count).toBe(10);
    expect(doc.accuracy).toBeGreaterThan(0.5);
    expect(doc.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(100);
    // The matrix as a picture beside the training chart, cell for cell as in the JSON.
    const svg = readFileSync(join(out, 'confusion.svg'), 'utf8');
    const drawn = [...svg.matchAll(/<title>(\w+) as (\w+): (\d+)<\/title>/g)].map((m) => [m[1], m[2], Number(m[3])]);
    expect(drawn).toEqual(doc.classes.flatMap((t: string, i: number) => doc.classes.map((p: string, j: number) => [t, p, doc.confusion[i][j]])));
    expect(readFileSync(join(out, 'history.svg'), 'utf8')).toContain('<svg');

    const conflict = await run('train', 'lenet5', '--resume', '--backend', 'tfjs-wasm', '--out', out);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/--resume continues .* exactly as it was started .*; drop --backend/);
    const stretch = await run('train', 'lenet5', '--resume', '--epochs', '6', '--out', out);
    expect(stretch.code).toBe(2);
    expect(stretch.stderr).toMatch(/3-epoch cosine schedule/);
  }, 300_000);
});
