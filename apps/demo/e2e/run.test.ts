import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openDemo, waitForText } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

// Small inputs keep software WebGL (SwiftShader) quick; each case still has every op of its family.
const CASES = [
  { query: 'arch=lenet5', label: 'LeNet-5 (paper: subsampling, C3 connection map, scaled tanh)' },
  { query: 'arch=resnet18&input=64,64,3&seed=3', label: 'ResNet-18 (BatchNorm, residual adds)' },
  { query: 'arch=googlenet&input=96,96,3', label: 'GoogLeNet (LRN, concatenation, ceil-mode pools)' },
];

describe('run: tfjs WebGL beside onnxruntime-web', () => {
  for (const c of CASES) {
    it(`${c.label}: same outputs within 1e-3 on the webgl backend`, async () => {
      const { page, errors } = await openDemo(browser, inject('baseUrl'), c.query, 'run', 'run-status', /press Run/);
      await page.getByTestId('run-button').click();
      await waitForText(page, 'run-status', /^ran /, 150_000);
      expect(await page.getByTestId('tfjs-backend').textContent()).toBe('webgl');
      const diff = Number(await page.getByTestId('max-diff').getAttribute('data-value'));
      expect(Number(await page.getByTestId('tolerance').getAttribute('data-value'))).toBe(1e-3);
      expect(diff).toBeLessThanOrEqual(1e-3);
      expect(await page.getByTestId('agreement').textContent()).toBe('agree');
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
