import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openDemo } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

// Each page with the status it reaches once ready.
const PAGES = [
  { hash: 'explorer', status: 'explorer-status', ready: /lenet5 \(paper\).*: \d+ layers/ },
  { hash: 'run', status: 'run-status', ready: /press Run/ },
  { hash: 'digits', status: 'digits-status', ready: /^ready: LeNet-5 on tfjs webgl$/ },
  { hash: 'export', status: 'export-status', ready: /^ready: / },
] as const;

describe('every page', () => {
  for (const p of PAGES) {
    it(`#${p.hash} loads with no console error`, async () => {
      const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=lenet5', p.hash, p.status, p.ready);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
