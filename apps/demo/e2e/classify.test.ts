/**
 * Classify: a generated photo through ResNet-18 with weights from a torchvision-named
 * safetensors file, loaded in the page's worker, against `convzoo predict` (the built CLI) on the
 * same image and file; ImageNet names for a 1000-class head; the webcam (chromium's fake camera).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeSafetensors } from '@convzoo/core';
import { resnet18 } from '@convzoo/arch-resnet';
import { IMAGENET_CLASSES } from '@convzoo/vision';
import { loadMnist } from '@convzoo/datasets';
import { torchStateDict } from '@convzoo/weights';
import { exportOnnx } from '@convzoo/onnx';
import { launchChromium, openDemo, waitForText } from './browser.js';
import { rgbPng, testPhoto } from './png.js';

const CLI = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launchChromium({ media: true });
  dir = mkdtempSync(join(tmpdir(), 'demo-classify-'));
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A float32 .npy's values (the CLI's --output). */
function readNpy(path: string): Float32Array {
  const b = readFileSync(path);
  const headerLen = b.readUInt16LE(8);
  expect(b.subarray(10, 10 + headerLen).toString('latin1')).toMatch(/'descr': '<f4'/);
  const body = b.subarray(10 + headerLen);
  return new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
}

interface Row { image: string; logits: number[]; top: { class: number; label: string; probability: number }[] }

async function report(page: Page, image: string): Promise<Row[]> {
  await page.locator('#classify-report').filter({ hasText: image }).waitFor({ state: 'attached', timeout: 60_000 });
  return JSON.parse((await page.locator('#classify-report').textContent())!) as Row[];
}

describe('classify', () => {
  it('gives the CLI\'s logits (within 1e-3) for a photo with weights loaded from a torchvision-named file', async () => {
    // Weights the page cannot have built itself (seed 11; the page builds seed 0).
    const weights = encodeSafetensors(torchStateDict(resnet18({ inputShape: [64, 64, 3], numClasses: 10, seed: 11 })));
    const png = rgbPng(testPhoto(96, 80), 96, 80);
    writeFileSync(join(dir, 'resnet18-10.safetensors'), weights);
    writeFileSync(join(dir, 'photo.png'), png);
    execFileSync(process.execPath, [CLI, 'predict', 'resnet18', '--input-shape', '64,64,3', '--classes', '10', '--weights', join(dir, 'resnet18-10.safetensors'),
      '--image', join(dir, 'photo.png'), '--output', join(dir, 'logits.npy')], { stdio: 'pipe' });
    const cli = readNpy(join(dir, 'logits.npy'));
    expect(cli).toHaveLength(10);

    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=resnet18&input=64,64,3&classes=10', 'classify', 'classify-status', /^ready: /, 90_000);
    expect(await page.getByTestId('preprocessing').textContent()).toMatch(/^Preprocessing: torchvision-imagenet: RGB, shorter side resized to \d+ \(bilinear\), centre crop 64x64, x 1\/255, minus mean \[0\.485, 0\.456, 0\.406\], over std \[0\.229, 0\.224, 0\.225\]$/);
    // 45 MB through the DevTools protocol while the page compiles on software WebGL: slower than the 30 s default on 2 cores.
    await page.getByTestId('weights-file').setInputFiles({ name: 'resnet18-10.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(weights) }, { timeout: 120_000 });
    await waitForText(page, 'weights-status', /^resnet18-10\.safetensors: 102 tensors loaded \(torchvision names\)$/, 60_000);
    await page.getByTestId('image-files').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    const [row] = await report(page, 'photo.png');
    const diff = Math.max(...row!.logits.map((v, i) => Math.abs(v - cli[i]!)));
    console.log(`classify: max |page - CLI| logit = ${diff.toExponential(2)} (logits up to ${Math.max(...Array.from(cli, Math.abs)).toFixed(3)})`);
    expect(diff).toBeLessThan(1e-3);
    expect(row!.top).toHaveLength(5);
    expect(row!.top[0]!.class).toBe(cli.indexOf(Math.max(...cli)));
    // The same weights as an .onnx file (read by loadWeights' ONNX path): the same logits.
    const onnx = exportOnnx(resnet18({ inputShape: [64, 64, 3], numClasses: 10, seed: 11 }));
    await page.getByTestId('weights-file').setInputFiles({ name: 'resnet18-10.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(onnx) }, { timeout: 120_000 });
    await waitForText(page, 'weights-status', /^resnet18-10\.onnx: \d+ tensors loaded/, 60_000);
    await page.locator('#classify-report').filter({ hasText: 'photo.png' }).waitFor({ state: 'attached' });
    await page.waitForFunction(() => document.querySelector('[data-testid=classify-status]')?.textContent?.includes('weights from resnet18-10.onnx'));
    const [fromOnnx] = JSON.parse((await page.locator('#classify-report').textContent())!) as Row[];
    const onnxDiff = Math.max(...fromOnnx!.logits.map((v, i) => Math.abs(v - cli[i]!)));
    console.log(`classify: the same weights from .onnx: max |page - CLI| logit = ${onnxDiff.toExponential(2)}`);
    expect(onnxDiff).toBeLessThan(1e-3);
    // A bad image: the earlier results go, the error names the file.
    await page.getByTestId('image-files').setInputFiles({ name: 'truncated.png', mimeType: 'image/png', buffer: png.subarray(0, 40) });
    await waitForText(page, 'classify-status', /^truncated\.png: not a readable image/);
    expect(await page.getByTestId('predictions').locator('table').count()).toBe(0);
    // A file for another architecture is refused with the loader's message.
    await page.getByTestId('weights-file').setInputFiles({ name: 'garbage.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('{"not": "safetensors"}') });
    // The line first reads `reading garbage.safetensors into …`: wait for what follows it.
    await waitForText(page, 'weights-status', /^(?!reading ).*garbage\.safetensors/);
    expect(await page.getByTestId('weights-status').getAttribute('class')).toContain('error');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reads a .pth state dict: the trained LeNet-5 reads a photo of an MNIST digit as the CLI does', async () => {
    // e2e/fixtures/lenet5-mnist.pth: public/models/lenet5-mnist saved by torch.save (scripts/make_lenet5_pth.py).
    const pth = readFileSync(new URL('./fixtures/lenet5-mnist.pth', import.meta.url));
    const test = loadMnist({ split: 'test', limit: 1, normalize: 'unit' });
    // Ink on paper, 3x larger, in RGB: the MNIST preprocessing greys, inverts and resizes it.
    const rgb = new Uint8Array(84 * 84 * 3).map((_, i) => 255 - Math.round(255 * test.images.data[Math.floor(Math.floor(i / 3) / 84 / 3) * 28 + Math.floor((Math.floor(i / 3) % 84) / 3)]!));
    const png = rgbPng(rgb, 84, 84);
    writeFileSync(join(dir, 'lenet5-mnist.pth'), pth);
    writeFileSync(join(dir, 'digit.png'), png);
    execFileSync(process.execPath, [CLI, 'predict', 'lenet5', '--weights', join(dir, 'lenet5-mnist.pth'), '--image', join(dir, 'digit.png'), '--output', join(dir, 'digit.npy')], { stdio: 'pipe' });
    const cli = readNpy(join(dir, 'digit.npy'));
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=lenet5', 'classify', 'classify-status', /^ready: /);
    await page.getByTestId('weights-file').setInputFiles({ name: 'lenet5-mnist.pth', mimeType: 'application/octet-stream', buffer: pth });
    await waitForText(page, 'weights-status', /^lenet5-mnist\.pth: 14 tensors loaded \(torchvision names\)$/);
    await page.getByTestId('image-files').setInputFiles({ name: 'digit.png', mimeType: 'image/png', buffer: png });
    await page.waitForFunction(() => document.querySelector('[data-testid=classify-status]')?.textContent?.includes('weights from lenet5-mnist.pth'));
    const [row] = await report(page, 'digit.png');
    const diff = Math.max(...row!.logits.map((v, i) => Math.abs(v - cli[i]!)));
    console.log(`classify: LeNet-5 from .pth: max |page - CLI| logit = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-3);
    expect(row!.top[0]!.class).toBe(test.labels[0]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('names ImageNet classes for a 1000-class head, and classifies a webcam frame', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=resnet18&input=64,64,3', 'classify', 'classify-status', /^ready: /, 90_000);
    await page.getByTestId('webcam-start').click();
    await page.getByTestId('webcam-capture').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    await page.getByTestId('webcam-capture').click();
    const [row] = await report(page, 'webcam frame');
    expect(row!.logits).toHaveLength(1000);
    expect(row!.top.map((t) => t.label)).toEqual(row!.top.map((t) => IMAGENET_CLASSES[t.class]));
    expect(await page.getByTestId('predictions').locator('tbody tr').count()).toBe(5);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
