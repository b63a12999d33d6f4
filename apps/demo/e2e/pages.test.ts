import { fileURLToPath } from 'node:url';
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

// Screenshots for the README: CONVZOO_SCREENSHOTS=1 pnpm --filter @convzoo/demo test pages
describe.runIf(process.env.CONVZOO_SCREENSHOTS === '1')('screenshots', () => {
  const shots = [
    { name: 'explorer', query: 'arch=resnet18', hash: 'explorer', status: 'explorer-status', ready: /: \d+ layers$/ },
    { name: 'run', query: 'arch=resnet18&input=64,64,3', hash: 'run', status: 'run-status', ready: /press Run/, click: 'run-button', after: /agree|disagree/ },
    { name: 'digits', query: '', hash: 'digits', status: 'digits-status', ready: /^ready: LeNet-5 on tfjs webgl$/, stroke: true },
    { name: 'export', query: 'arch=googlenet', hash: 'export', status: 'export-status', ready: /^ready: / },
  ] as const;
  for (const s of shots) {
    it(`#${s.hash}`, async () => {
      const { page } = await openDemo(browser, inject('baseUrl'), s.query, s.hash, s.status, s.ready);
      if ('click' in s) {
        await page.getByTestId(s.click).click();
        await page.getByTestId('agreement').filter({ hasText: s.after }).waitFor({ timeout: 120_000 });
      }
      if ('stroke' in s) {
        const box = (await page.getByTestId('digit-canvas').boundingBox())!;
        const at = (x: number, y: number) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
        await page.mouse.move(...at(90, 60));
        await page.mouse.down();
        for (const [x, y] of [[190, 60], [150, 150], [130, 240]] as const) await page.mouse.move(...at(x, y), { steps: 10 });
        await page.mouse.up();
        await page.waitForTimeout(1500);
      }
      await page.screenshot({ path: fileURLToPath(new URL(`../../../docs/screenshots/${s.name}.png`, import.meta.url)), fullPage: false });
      await page.context().close();
    }, 180_000);
  }
});
