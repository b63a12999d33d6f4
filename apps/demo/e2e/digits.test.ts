import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadMnist } from '@convzoo/datasets';
import { launchChromium, openDemo, waitForText } from './browser.js';
import { grayBmp } from './bmp.js';

const MODEL_DIR = fileURLToPath(new URL('../public/models/lenet5-mnist/', import.meta.url));
const TEST_DIGITS = 10;

let browser: Browser;
let page: Page;
let errors: string[];
beforeAll(async () => {
  if (!existsSync(`${MODEL_DIR}graph.json`) || !existsSync(`${MODEL_DIR}weights.safetensors`)) {
    throw new Error(`no trained LeNet-5 in ${MODEL_DIR}: run \`convzoo train lenet5 --dataset mnist --out DIR\` and copy DIR/graph.json and DIR/weights.safetensors there`);
  }
  browser = await launchChromium();
  ({ page, errors } = await openDemo(browser, inject('baseUrl'), '', 'digits', 'digits-status', /^ready: LeNet-5 on tfjs webgl$/));
});
afterAll(async () => {
  await browser?.close();
});

/** The prediction once every drawn stroke or loaded image has been classified. */
async function settledPrediction(): Promise<number> {
  await page.waitForFunction(() => document.querySelector('[data-testid=digit-prediction]')?.getAttribute('data-busy') === 'false');
  return Number(await page.getByTestId('digit-prediction').getAttribute('data-value'));
}

/** Mouse strokes in the pad's 280x280 coordinates, each a polyline. */
async function drawStrokes(strokes: readonly (readonly [number, number])[][]): Promise<void> {
  await page.getByTestId('clear-button').click();
  const box = (await page.getByTestId('digit-canvas').boundingBox())!;
  const at = ([x, y]: readonly [number, number]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  }
}

const ellipse = (cx: number, cy: number, rx: number, ry: number) =>
  Array.from({ length: 41 }, (_, i) => [cx + rx * Math.sin((i * Math.PI) / 20), cy - ry * Math.cos((i * Math.PI) / 20)] as [number, number]);

describe('digits', () => {
  it('runs the trained LeNet-5 shipped in public/models/lenet5-mnist', async () => {
    expect(await page.getByTestId('weights-source').textContent()).toBe('trained weights: models/lenet5-mnist');
  });

  it(`classifies the first ${TEST_DIGITS} MNIST test digits, rendered as images and drawn on the canvas`, async () => {
    const test = loadMnist({ split: 'test', limit: TEST_DIGITS, normalize: 'unit' });
    const predicted: number[] = [];
    for (let i = 0; i < TEST_DIGITS; i++) {
      const bmp = grayBmp(test.images.data.subarray(i * 784, (i + 1) * 784), 28, 28);
      await page.getByTestId('digit-file').setInputFiles({ name: `mnist-test-${i}.bmp`, mimeType: 'image/bmp', buffer: bmp });
      predicted.push(await settledPrediction());
    }
    expect(predicted).toEqual([...test.labels]);
    expect(errors).toEqual([]);
  });

  it('clears the last prediction when an upload fails, and says why', async () => {
    const test = loadMnist({ split: 'test', limit: 1, normalize: 'unit' });
    await page.getByTestId('digit-file').setInputFiles({ name: 'seven.bmp', mimeType: 'image/bmp', buffer: grayBmp(test.images.data.subarray(0, 784), 28, 28) });
    expect(await settledPrediction()).toBe(7);
    expect(await page.getByTestId('digit-warning').textContent()).toBe('');
    await page.getByTestId('digit-file').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
    await waitForText(page, 'digits-status', /^broken\.png: not an image this browser can decode/);
    await page.waitForFunction(() => document.querySelector('[data-testid=digit-prediction]')?.getAttribute('data-busy') === 'false');
    expect(await page.getByTestId('digit-prediction').textContent()).toBe('–');
    expect(await page.getByTestId('digit-prediction').getAttribute('data-value')).toBeNull();
  });

  it('warns that a photo is not a handwritten digit', async () => {
    // A 96x96 "photo": a lit gradient with texture, no strokes.
    const size = 96;
    const photo = new Float32Array(size * size).map((_, i) => 0.35 + 0.35 * ((i % size) / size) + 0.1 * Math.sin(i * 0.7));
    await page.getByTestId('digit-file').setInputFiles({ name: 'photo.bmp', mimeType: 'image/bmp', buffer: grayBmp(photo, size, size) });
    await settledPrediction();
    expect(await page.getByTestId('digit-warning').textContent()).toMatch(/^This does not look like a handwritten digit \(\d+% of the field is ink, \d+% grey/);
    expect(errors).toEqual([]);
  });

  it('reads digits drawn with the mouse: a 1, a 7 and a 0', async () => {
    await drawStrokes([[[140, 40], [140, 240]]]);
    expect(await settledPrediction()).toBe(1);
    await drawStrokes([[[70, 50], [210, 50], [120, 240]]]);
    expect(await settledPrediction()).toBe(7);
    await drawStrokes([ellipse(140, 140, 60, 95)]);
    expect(await settledPrediction()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('trains 10 batches in the page with a finite, plotted loss', async () => {
    await page.getByTestId('train-button').click();
    await waitForText(page, 'train-status', /^batch 10:/, 150_000);
    const status = page.getByTestId('train-status');
    expect(Number(await status.getAttribute('data-batches'))).toBe(10);
    // A trained model stays trained: fine-tuning on MNIST keeps the loss low.
    expect(Number(await status.getAttribute('data-loss'))).toBeLessThan(1);
    const points = (await page.getByTestId('loss-chart').locator('polyline').getAttribute('points'))!.split(' ');
    expect(points).toHaveLength(10);
    await waitForText(page, 'weights-source', /then 10 batches trained here$/);
    expect(errors).toEqual([]);
  });
});
