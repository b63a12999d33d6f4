import { describe, expect, it } from 'vitest';
import { loadMnist } from '@convzoo/datasets';
import { MAX_GREY, MAX_INK, MNIST_SIZE, boundingBox, likeness, toMnist, toModelInput, type Gray } from '../mnist-format.js';

const blank = (size: number): Gray => ({ width: size, height: size, data: new Float32Array(size * size) });

function rect(img: Gray, x0: number, y0: number, w: number, h: number): Gray {
  for (let y = y0; y < y0 + h; y++) img.data.fill(1, y * img.width + x0, y * img.width + x0 + w);
  return img;
}

/** Nearest-neighbour upscaling, as a digit drawn large on the canvas. */
function upscale(digit: Float32Array, factor: number): Gray {
  const size = MNIST_SIZE * factor;
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data[y * size + x] = digit[Math.floor(y / factor) * MNIST_SIZE + Math.floor(x / factor)]!;
  }
  return { width: size, height: size, data };
}

describe('toMnist', () => {
  it('finds nothing on a blank canvas', () => {
    expect(boundingBox(blank(280))).toBeUndefined();
    expect(toMnist(blank(280))).toBeUndefined();
  });

  it('scales the bounding box to 20 pixels on its longer side and centres the mass', () => {
    const out = toMnist(rect(blank(280), 150, 200, 100, 50))!;
    // 100x50 -> 20x10; centre of mass (9.5, 4.5) moves to (14, 14), rounded half up: columns 5..24, rows 10..19.
    const on = [...out.keys()].filter((i) => out[i]! > 0.5);
    expect(on).toHaveLength(200);
    expect(Math.min(...on.map((i) => i % MNIST_SIZE))).toBe(5);
    expect(Math.max(...on.map((i) => i % MNIST_SIZE))).toBe(24);
    expect(Math.min(...on.map((i) => Math.floor(i / MNIST_SIZE)))).toBe(10);
    expect(Math.max(...on.map((i) => Math.floor(i / MNIST_SIZE)))).toBe(19);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(200, 4);
  });

  it('gives the same digit wherever and however large it is drawn', () => {
    const a = toMnist(rect(rect(blank(280), 10, 10, 40, 120), 10, 10, 90, 30))!;
    const b = toMnist(rect(rect(blank(280), 150, 100, 40, 120), 150, 100, 90, 30))!;
    const c = toMnist(rect(rect(blank(280), 60, 20, 20, 60), 60, 20, 45, 15))!;
    expect([...a]).toEqual([...b]);
    expect(Math.max(...a.map((v, i) => Math.abs(v - c[i]!)))).toBeLessThan(1e-6);
  });

  it('leaves MNIST digits (already 20x20, mass-centred) nearly as they are', () => {
    const test = loadMnist({ split: 'test', limit: 50, normalize: 'unit' });
    const per = MNIST_SIZE * MNIST_SIZE;
    let worst = 0;
    for (let i = 0; i < 50; i++) {
      const digit = test.images.data.subarray(i * per, (i + 1) * per);
      const back = toMnist(upscale(digit, 10))!;
      const meanAbs = back.reduce((s, v, j) => s + Math.abs(v - digit[j]!), 0) / per;
      worst = Math.max(worst, meanAbs);
    }
    // Measured: 2e-4 mean absolute difference at worst over these 50 digits.
    expect(worst).toBeLessThan(0.01);
  });
});

describe('toModelInput', () => {
  it('pads 28x28 evenly to the model input and normalizes like training', () => {
    const digit = new Float32Array(MNIST_SIZE * MNIST_SIZE);
    digit[0] = 1;
    const x = toModelInput(digit, [32, 32, 1], { mean: 0.1307, std: 0.3081 });
    expect(x.shape).toEqual([1, 32, 32, 1]);
    expect(x.data[0]).toBeCloseTo(-0.1307 / 0.3081, 6);
    expect(x.data[2 * 32 + 2]).toBeCloseTo((1 - 0.1307) / 0.3081, 6);
    expect(x.data.filter((v) => v > 0)).toHaveLength(1);
  });

  it('refuses a model that does not take one-channel images of at least 28x28', () => {
    expect(() => toModelInput(new Float32Array(784), [224, 224, 3], { mean: 0, std: 1 })).toThrow(/\[H>=28, W>=28, 1\].*\[224, 224, 3\]/);
  });
});

describe('likeness', () => {
  it('passes the first 1,000 MNIST test digits, framed as a drawing is, and flags a photo-like image', () => {
    const test = loadMnist({ split: 'test', limit: 1000, normalize: 'unit' });
    const framed = Array.from({ length: 1000 }, (_, i) => toMnist(upscale(test.images.data.subarray(i * 784, (i + 1) * 784), 4))!);
    const scores = framed.map(likeness);
    expect(scores.filter((s) => !s.digitLike)).toHaveLength(0);
    expect(Math.max(...scores.map((s) => s.ink))).toBeLessThan(MAX_INK);
    expect(Math.max(...scores.map((s) => s.grey))).toBeLessThan(MAX_GREY);
    // A smooth gradient with texture (a photo's sky and shading) fills its box with mid-tones.
    const size = 112;
    const photo: Gray = { width: size, height: size, data: new Float32Array(size * size).map((_, i) => 0.3 + 0.4 * ((i % size) / size) + 0.1 * Math.sin(i)) };
    const l = likeness(toMnist(photo)!);
    expect(l.digitLike).toBe(false);
    expect(l.grey).toBeGreaterThan(MAX_GREY);
  });
});
