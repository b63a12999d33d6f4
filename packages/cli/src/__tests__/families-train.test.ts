/**
 * AlexNet and GoogLeNet trained from the CLI on a folder of images: --input-shape, --classes,
 * --no-aux, --freeze and --weights end to end, on small inputs for a few steps. What the model
 * directory holds is checked tensor by tensor: frozen layers byte-identical to where they
 * started, the rest moved, no optimizer slots for frozen layers.
 */
import '@convzoo/arch-alexnet';
import { googlenet } from '@convzoo/arch-inception';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { create, decodeSafetensors, encodeSafetensors, frozenLayers, type TensorData } from '@convzoo/core';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const CLASSES = ['cat', 'dog', 'fox'];

/** Four 40x40 RGB images per class, each class brightest in its own channel (PNG and JPEG). */
async function writeFolder(dir: string): Promise<void> {
  for (const [k, name] of CLASSES.entries()) {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const px = Buffer.alloc(40 * 40 * 3);
      for (let p = 0; p < px.length; p++) px[p] = (p % 3 === k ? 200 : 30) + ((p * 7 + i * 13) % 40);
      const image = sharp(px, { raw: { width: 40, height: 40, channels: 3 } });
      if (i % 2 === 0) writeFileSync(join(dir, name, `${i}.png`), await image.png().toBuffer());
      else writeFileSync(join(dir, name, `${i}.jpg`), await image.jpeg().toBuffer());
    }
  }
}

const bytes = (t: TensorData) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
const readTensors = (file: string) => decodeSafetensors(readFileSync(file));

/** Checks out/weights.safetensors against the starting weights: frozen layers identical, every other trainable layer changed. */
function expectFrozen(out: string, start: ReadonlyMap<string, TensorData>, frozen: readonly string[]): void {
  const saved = readTensors(join(out, 'weights.safetensors')).tensors;
  expect([...saved.keys()].sort()).toEqual([...start.keys()].sort());
  const isFrozen = (key: string) => frozen.includes(key.slice(0, key.lastIndexOf('/')));
  let moved = 0;
  for (const [key, t] of start) {
    if (isFrozen(key)) expect(bytes(saved.get(key)!).equals(bytes(t)), `${key} is frozen`).toBe(true);
    else if (!bytes(saved.get(key)!).equals(bytes(t))) moved++;
  }
  expect(moved).toBeGreaterThan(0);
  // Frozen layers get no optimizer state.
  const slots = [...readTensors(join(out, 'optimizer.safetensors')).tensors.keys()];
  expect(slots.length).toBeGreaterThan(0);
  expect(slots.filter((s) => frozen.some((f) => s.includes(`${f}/`)))).toEqual([]);
}

describe('convzoo train on image folders for AlexNet and GoogLeNet', () => {
  it('alexnet --input-shape 67,67,3 --classes 3 --freeze backbone: a 3-class head on a 67x67 input, the backbone byte-identical', async () => {
    const root = mkdtempSync(join(tmpdir(), 'convzoo-families-'));
    await writeFolder(join(root, 'data'));
    const out = join(root, 'alexnet');
    const r = await run('train', 'alexnet', '--data', join(root, 'data'), '--input-shape', '67,67,3', '--classes', '3',
      '--freeze', 'backbone', '--epochs', '1', '--batch', '4', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(11 train \/ 1 validation images, 3 classes\).*7 layers frozen/);
    const graph = JSON.parse(readFileSync(join(out, 'graph.json'), 'utf8'));
    expect(graph.nodes[0].attrs.shape).toEqual([67, 67, 3]);
    const start = create('alexnet', { inputShape: [67, 67, 3], numClasses: 3, seed: 0 });
    const frozen = frozenLayers(start, 'backbone');
    expect(frozen).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7']);
    expectFrozen(out, start.weights, frozen);
    const meta = readTensors(join(out, 'weights.safetensors')).metadata;
    expect(JSON.parse(meta.convzoo_classes!)).toEqual(CLASSES);
    expect(readTensors(join(out, 'weights.safetensors')).tensors.get('fc8/kernel')!.shape).toEqual([4096, 3]);
    expect(JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).config).toMatchObject({ arch: 'alexnet', freeze: 'backbone', epochs: 1, batchSize: 4 });
    // A --classes that disagrees with the folder is refused before anything is written.
    const wrong = await run('train', 'alexnet', '--data', join(root, 'data'), '--input-shape', '67,67,3', '--classes', '5', '--out', join(root, 'wrong'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`--classes 5: ${join(root, 'data')} has 3 classes`);
  }, 180_000);

  it('googlenet --no-aux --freeze 10 --weights W: the first 10 layers stay as the file had them, the new head is seeded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'convzoo-families-'));
    await writeFolder(join(root, 'data'));
    // A "pretrained" file: another seed, a 10-class head (it does not fit the 3 classes and stays initialised).
    const pretrained = googlenet({ auxClassifiers: false, numClasses: 10, seed: 7 });
    writeFileSync(join(root, 'pretrained.safetensors'), encodeSafetensors(pretrained.weights));
    const out = join(root, 'googlenet');
    const r = await run('train', 'googlenet', '--data', join(root, 'data'), '--input-shape', '64,64,3', '--classes', '3', '--no-aux',
      '--weights', join(root, 'pretrained.safetensors'), '--freeze', '10', '--epochs', '1', '--batch', '4', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('pretrained.safetensors: loaded 114 of 116 tensors; kept as initialised: fc/kernel (file tensor "fc/kernel" is [1024, 10], expected [1024, 3]), fc/bias');
    expect(r.stderr).toContain('10 layers frozen');
    const graph = JSON.parse(readFileSync(join(out, 'graph.json'), 'utf8'));
    expect(graph.nodes[0].attrs.shape).toEqual([64, 64, 3]);
    expect(graph.trainingOutputs).toBeUndefined();
    expect(graph.nodes.filter((n: { name: string }) => n.name.includes('aux'))).toEqual([]);
    // Where training started: the file's tensors, and the seeded 3-class head.
    const seeded = googlenet({ auxClassifiers: false, inputShape: [64, 64, 3], numClasses: 3, seed: 0 });
    const start = new Map([...seeded.weights].map(([k, t]) => [k, k.startsWith('fc/') ? t : pretrained.weights.get(k)!]));
    const frozen = frozenLayers(seeded, 10);
    expect(frozen).toHaveLength(10);
    expectFrozen(out, start, frozen);
    expect(JSON.parse(readTensors(join(out, 'weights.safetensors')).metadata.convzoo_classes!)).toEqual(CLASSES);
  }, 180_000);
});
