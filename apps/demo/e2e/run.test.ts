import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openDemo, openPage, waitForText } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
});

interface ReportRow {
  readonly requested: string;
  readonly device?: string;
  readonly error?: string;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly maxRelDiff: number;
}

/**
 * Opens an addressable run (`…&run=1#run`) and returns its #run-report once every device has
 * finished, with the onnxruntime-web .wasm files the page (and its workers) fetched.
 */
async function report(query: string, timeout: number): Promise<{ page: Page; errors: string[]; rows: ReportRow[]; ortWasm: string[] }> {
  const { page, errors } = await openPage(browser);
  const ortWasm: string[] = [];
  page.context().on('request', (r) => {
    const file = new URL(r.url()).pathname.split('/').pop()!;
    if (file.startsWith('ort-wasm') && file.endsWith('.wasm')) ortWasm.push(file);
  });
  await page.goto(`${inject('baseUrl')}?${query}&run=1#run`);
  await page.locator('#run-report').filter({ hasText: /^\[/ }).waitFor({ state: 'attached', timeout });
  return { page, errors, rows: JSON.parse((await page.locator('#run-report').textContent())!) as ReportRow[], ortWasm };
}

// Small inputs keep software WebGL / WebGPU (SwiftShader) quick; each case still has every op of its family.
const CASES = [
  { query: 'arch=lenet5', label: 'LeNet-5 (paper: subsampling, C3 connection map, scaled tanh)' },
  { query: 'arch=googlenet&input=96,96,3', label: 'GoogLeNet (LRN, concatenation, ceil-mode pools)' },
];

describe('run: every browser device on one seeded input', () => {
  it('the page is cross-origin isolated, ort-wasm runs on navigator.hardwareConcurrency threads of the plain build, tfjs-wasm still runs', async () => {
    const { page, errors, rows, ortWasm } = await report('arch=lenet5&devices=ort-wasm,tfjs-wasm', 60_000);
    // The plain build (ort-wasm-simd-threaded-<hash>.wasm), not the JSEP one that threads badly.
    expect(ortWasm).toHaveLength(1);
    expect(ortWasm[0]).toMatch(/^ort-wasm-simd-threaded-[\w-]+\.wasm$/);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(rows[0]!.device).toBe(`ort wasm (${cores} thread${cores === 1 ? '' : 's'})`);
    // Emscripten's pthreads: one worker per thread beyond the calling one.
    if (cores > 1) expect(page.workers().length).toBeGreaterThanOrEqual(1);
    expect(rows[1]!.device).toBe('tfjs wasm');
    expect(rows[1]!.maxRelDiff).toBeLessThanOrEqual(1e-3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  // ResNet-18 at 32x32 in CI rather than 64x64 (45 s here against 140 s at 64x64, under
  // SwiftShader, where first runs compile every shader in software); the ops are the same.
  it('ResNet-18 by URL on tfjs-webgl, tfjs-webgpu, ort-wasm and ort-webgpu: each runs what it names, all agree within 1e-3', async () => {
    const devices = ['tfjs-webgl', 'tfjs-webgpu', 'ort-wasm', 'ort-webgpu'];
    const { page, errors, rows } = await report(`arch=resnet18&variant=torchvision&input=32,32,3&devices=${devices.join(',')}`, 170_000);
    expect(rows.map((r) => r.requested)).toEqual(devices);
    for (const r of rows) {
      expect(r.error, r.requested).toBeUndefined();
      expect(r.device, r.requested).toMatch(new RegExp(`^${r.requested.replace('-', ' ')}\\b`));
      expect(r.firstMs).toBeGreaterThan(0);
      expect(r.medianMs).toBeGreaterThan(0);
      expect(r.maxRelDiff, r.requested).toBeLessThanOrEqual(1e-3);
    }
    console.info(`ResNet-18 32x32: ${rows.map((r) => `${r.device} first ${r.firstMs.toFixed(0)} ms, median ${r.medianMs.toFixed(1)} ms, maxRelDiff ${r.maxRelDiff.toExponential(1)}`).join('; ')}`);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  for (const c of CASES) {
    it(`${c.label}: tfjs webgl and ort wasm (the defaults, by the Run button) agree within 1e-3`, async () => {
      const { page, errors } = await openDemo(browser, inject('baseUrl'), c.query, 'run', 'run-status', /press Run/);
      await page.getByTestId('run-button').click();
      await waitForText(page, 'run-status', /^ran /, 150_000);
      expect(await page.getByTestId('ran-tfjs-webgl').textContent()).toBe('tfjs webgl (float32 textures)');
      expect(await page.getByTestId('ran-ort-wasm').textContent()).toMatch(/^ort wasm \(\d+ threads?\)$/);
      expect(Number(await page.getByTestId('tolerance').getAttribute('data-value'))).toBe(1e-3);
      expect(Number(await page.getByTestId('max-diff').getAttribute('data-value'))).toBeLessThanOrEqual(1e-3);
      expect(await page.getByTestId('agreement').textContent()).toBe('agree');
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
