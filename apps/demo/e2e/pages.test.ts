import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { googlenet } from '@convzoo/arch-inception';
import { exportOnnx } from '@convzoo/onnx';
import { launchChromium, openDemo, openPage } from './browser.js';
import { rgbPng, testPhoto } from './png.js';

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
  { hash: 'classify', status: 'classify-status', ready: /^ready: / },
  { hash: 'teach', status: 'teach-status', ready: /name the classes/ },
  { hash: 'inspect', status: 'inspect-status', ready: /open a model file/ },
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

// Screenshots for the README: CONVZOO_SCREENSHOTS=1 pnpm --filter @convzoo/demo test pages teach (teach.test.ts takes Teach's, trained)
describe.runIf(process.env.CONVZOO_SCREENSHOTS === '1')('screenshots', () => {
  const shots = [
    { name: 'explorer', query: 'arch=resnet18', hash: 'explorer', status: 'explorer-status', ready: /: \d+ layers$/ },
    { name: 'run', query: 'arch=resnet18&input=64,64,3', hash: 'run', status: 'run-status', ready: /press Run/, click: 'run-button', after: /agree|disagree/ },
    { name: 'digits', query: '', hash: 'digits', status: 'digits-status', ready: /^ready: LeNet-5 on tfjs webgl$/, stroke: true },
    { name: 'export', query: 'arch=googlenet', hash: 'export', status: 'export-status', ready: /^ready: / },
    { name: 'classify', query: 'arch=resnet18&input=64,64,3', hash: 'classify', status: 'classify-status', ready: /^ready: /, photo: true },
    { name: 'inspect', query: '', hash: 'inspect', status: 'inspect-status', ready: /open a model file/, onnx: true },
    { name: 'explorer-dark', query: 'arch=googlenet', hash: 'explorer', status: 'explorer-status', ready: /: \d+ layers$/, dark: true },
    { name: 'explorer-mobile', query: 'arch=resnet18', hash: 'explorer', status: 'explorer-status', ready: /: \d+ layers$/, mobile: true },
  ] as const;
  for (const s of shots) {
    it(`#${s.hash}`, async () => {
      // A phone opens the page at its own size.
      const { page } = 'mobile' in s ? await openPage(browser) : await openDemo(browser, inject('baseUrl'), s.query, s.hash, s.status, s.ready);
      if ('mobile' in s) {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${inject('baseUrl')}?${s.query}#${s.hash}`);
        await page.locator('[data-testid=graph][data-opened=true]').waitFor({ timeout: 60_000 });
      }
      if ('dark' in s) await page.emulateMedia({ colorScheme: 'dark' });
      if ('photo' in s) {
        await page.getByTestId('image-files').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: rgbPng(testPhoto(96, 80), 96, 80) });
        await page.locator('#classify-report').filter({ hasText: 'photo.png' }).waitFor({ state: 'attached', timeout: 60_000 });
      }
      if ('onnx' in s) {
        await page.getByTestId('inspect-files').setInputFiles({ name: 'googlenet.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(exportOnnx(googlenet({ inputShape: [96, 96, 3], numClasses: 10 }))) });
        await page.locator('[data-testid=graph][data-opened=true]').waitFor({ timeout: 60_000 });
        await page.getByTestId('node-search').fill('inception_3a_3x3');
        await page.getByTestId('node-search').press('Enter');
      }
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
