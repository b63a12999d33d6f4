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

const digits = (s: string | null) => Number((s ?? '').replace(/,/g, ''));

describe('explorer', () => {
  it('shows ResNet-18 totals equal to its model card, one table row per layer', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=resnet18', 'explorer', 'explorer-status', /: (\d+) layers$/);
    const layers = Number(/: (\d+) layers$/.exec((await page.getByTestId('explorer-status').textContent())!)![1]);
    expect(await page.getByTestId('layer-table').locator('tbody tr').count()).toBe(layers);
    const cells = async (id: string) => (await page.getByTestId(id).locator('td').allTextContents()).map(digits);
    // Params, trainable, non-trainable, MACs: ResNet-18 at 224x224x3, 1000 classes.
    expect(await cells('totals-model')).toEqual([11_699_112, 11_689_512, 9_600, 1_814_073_344]);
    expect(await cells('totals-card')).toEqual(await cells('totals-model'));
    expect(await page.getByTestId('reference-note').textContent()).toBe('matches the model card');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws GoogLeNet with its inception modules boxed, and zooms', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=googlenet', 'explorer', 'explorer-status', /: 159 layers$/);
    const graph = page.getByTestId('graph');
    expect(await graph.locator('.node').count()).toBe(159);
    const groups = await graph.locator('.group text').allTextContents();
    expect(groups.filter((g) => g.startsWith('inception_'))).toHaveLength(9);
    // 4 branches (1x1; 3x3 reduce, 3x3; 5x5 reduce, 5x5; pool, pool proj), a ReLU after each conv, the concat.
    expect(await graph.locator('[data-node^="inception_4a_"]').count()).toBe(14);
    const before = await graph.getAttribute('viewBox');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const after = (await graph.getAttribute('viewBox'))!.split(' ').map(Number);
    expect(after[2]).toBeCloseTo(before!.split(' ').map(Number)[2]! / 1.4, 3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says what is wrong when an option does not fit the architecture', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=alexnet&input=32,32,3', 'explorer', 'explorer-status', /pool/);
    expect(await page.getByTestId('explorer-status').getAttribute('class')).toContain('error');
    expect(await page.getByTestId('explorer-status').textContent()).toMatch(/too small/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
