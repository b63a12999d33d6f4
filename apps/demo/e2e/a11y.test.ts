/** axe-core (pinned in package.json) on every page, light and dark: no serious or critical violation. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { lenet5 } from '@convzoo/arch-lenet';
import { exportOnnx } from '@convzoo/onnx';
import { demoPages, launchChromium, openPage, waitForText } from './browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES = demoPages('googlenet');

interface Violation { id: string; impact: string; help: string; nodes: string[] }

/** Runs axe in the page; the serious and critical violations, each with up to 5 of its elements. */
const runAxe = () => (async () => {
  const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
  const r = await axe.run(document, { resultTypes: ['violations'] });
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
})();

describe('accessibility (axe-core)', () => {
  it('is really checking: an unlabelled field and grey-on-grey text are flagged', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${inject('baseUrl')}#export`);
    await waitForText(page, 'export-status', /^ready/);
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input type="text"><p style="color:#999;background:#aaa">faint</p>'));
    await page.addScriptTag({ content: AXE_SOURCE });
    expect((await page.evaluate(runAxe)).map((v) => v.id).sort()).toEqual(['color-contrast', 'label']);
    await page.context().close();
  });

  it('has none with results on screen: Inspect with a node open, Teach with classes', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${inject('baseUrl')}#inspect`);
    await waitForText(page, 'inspect-status', /open a model file/);
    await page.getByTestId('inspect-files').setInputFiles({ name: 'lenet5.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(exportOnnx(lenet5())) });
    await page.locator('[data-testid=graph][data-opened=true]').waitFor({ timeout: 60_000 });
    await page.getByTestId('node-search').fill('c1');
    await page.getByTestId('node-search').press('Enter');
    await page.getByTestId('node-attrs').waitFor();
    await page.addScriptTag({ content: AXE_SOURCE });
    const inspect = await page.evaluate(runAxe);
    await page.goto(`${inject('baseUrl')}#teach`);
    await waitForText(page, 'teach-status', /name the classes/);
    await page.getByTestId('teach-add-class').click();
    await page.getByTestId('teach-mode').selectOption('backbone');
    await page.addScriptTag({ content: AXE_SOURCE });
    expect({ inspect, teach: await page.evaluate(runAxe) }).toEqual({ inspect: [], teach: [] });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violation on any page, ${scheme}`, async () => {
      const { page, errors } = await openPage(browser);
      await page.emulateMedia({ colorScheme: scheme });
      const found: Record<string, Violation[]> = {};
      for (const p of PAGES) {
        await page.goto(`${inject('baseUrl')}?${p.query}#${p.hash}`);
        await waitForText(page, p.status, p.ready, 60_000);
        await page.addScriptTag({ content: AXE_SOURCE });
        found[p.hash] = await page.evaluate(runAxe);
      }
      expect(found).toEqual(Object.fromEntries(PAGES.map((p) => [p.hash, []])));
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
