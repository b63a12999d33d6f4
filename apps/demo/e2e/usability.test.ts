/** The usability fixes: the graph opens on the network with readable labels, zooms by wheel, pinch and keys; bad options are named; narrow screens and dark mode. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoPages, launchChromium, openDemo, openPage, waitForText } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Seen {
  /** The view in graph units. */
  view: number[];
  /** On-screen size of the 11-unit labels, CSS px. */
  labelPx: number;
  /** Nodes whose box lies wholly inside the view. */
  visible: number;
  total: number;
}

/** What the opened graph shows. */
async function seen(page: Page): Promise<Seen> {
  await page.locator('[data-testid=graph][data-opened=true]').waitFor({ timeout: 60_000 });
  return page.evaluate(() => {
    const g = document.querySelector<SVGSVGElement>('[data-testid=graph]')!;
    const view = g.getAttribute('viewBox')!.split(' ').map(Number);
    const [x, y, w, h] = view as [number, number, number, number];
    const rects = [...g.querySelectorAll('.node rect')].map((r) => ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a))) as [number, number, number, number]);
    const visible = rects.filter(([rx, ry, rw, rh]) => rx >= x && ry >= y && rx + rw <= x + w && ry + rh <= y + h).length;
    return { view, labelPx: (11 * g.getBoundingClientRect().width) / w, visible, total: rects.length };
  });
}

const viewWidth = async (page: Page) => Number((await page.getByTestId('graph').getAttribute('viewBox'))!.split(' ')[2]);

describe('the explorer graph', () => {
  it('opens GoogLeNet on the network (the top of it, readable), not on empty space', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=googlenet', 'explorer', 'explorer-status', /: 159 layers$/);
    const s = await seen(page);
    expect(s.total).toBe(159);
    expect(s.labelPx).toBeGreaterThanOrEqual(9);
    // The input and the stem below it are in view.
    expect(s.visible).toBeGreaterThanOrEqual(5);
    const input = await page.locator('[data-node=input] rect').boundingBox();
    const box = (await page.getByTestId('graph').boundingBox())!;
    expect(input!.x).toBeGreaterThanOrEqual(box.x);
    expect(input!.x + input!.width).toBeLessThanOrEqual(box.x + box.width);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens AlexNet with readable labels; Fit shows all of LeNet-5', async () => {
    const alex = await openDemo(browser, inject('baseUrl'), 'arch=alexnet', 'explorer', 'explorer-status', /: \d+ layers$/);
    const a = await seen(alex.page);
    expect(a.labelPx).toBeGreaterThanOrEqual(9);
    expect(a.visible).toBeGreaterThanOrEqual(3);
    await alex.page.context().close();
    const lenet = await openDemo(browser, inject('baseUrl'), 'arch=lenet5', 'explorer', 'explorer-status', /: \d+ layers$/);
    expect((await seen(lenet.page)).labelPx).toBeGreaterThanOrEqual(9);
    await lenet.page.getByRole('button', { name: 'Fit' }).click();
    const l = await seen(lenet.page);
    expect(l.visible).toBe(l.total);
    expect([...alex.errors, ...lenet.errors]).toEqual([]);
    await lenet.page.context().close();
  });

  it('zooms with the wheel, a two-finger pinch and the keyboard', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=resnet18', 'explorer', 'explorer-status', /: \d+ layers$/);
    await seen(page);
    const box = (await page.getByTestId('graph').boundingBox())!;
    const w0 = await viewWidth(page);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -200);
    await page.waitForFunction((w) => Number(document.querySelector('[data-testid=graph]')!.getAttribute('viewBox')!.split(' ')[2]) < w, w0);
    const w1 = await viewWidth(page);
    expect(w1).toBeCloseTo(w0 * Math.exp(-200 * 0.0015), 1);
    // Two touch pointers moving apart from 40 px to 160 px: 4x closer.
    await page.evaluate(({ cx, cy }) => {
      const g = document.querySelector('[data-testid=graph]')!;
      const fire = (type: string, id: number, x: number) =>
        g.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: cy, bubbles: true }));
      fire('pointerdown', 1, cx - 20);
      fire('pointerdown', 2, cx + 20);
      for (let d = 20; d <= 80; d += 10) {
        fire('pointermove', 1, cx - d);
        fire('pointermove', 2, cx + d);
      }
      fire('pointerup', 1, cx - 80);
      fire('pointerup', 2, cx + 80);
    }, { cx: box.x + box.width / 2, cy: box.y + box.height / 2 });
    const w2 = await viewWidth(page);
    expect(w2).toBeCloseTo(w1 / 4, 0);
    // Keyboard: Tab reaches the graph; + zooms in, - zooms out.
    await page.locator('body').focus();
    let tabs = 0;
    while (tabs < 60 && !(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'graph'))) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(tabs).toBeLessThan(60);
    await page.keyboard.press('-');
    expect(await viewWidth(page)).toBeCloseTo(w2 * 1.4, 0);
    await page.keyboard.press('+');
    expect(await viewWidth(page)).toBeCloseTo(w2, 0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('the model picker', () => {
  it('names a bad Input and a bad Classes value instead of building the default', async () => {
    const { page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=resnet18&input=64x64x3', 'explorer', 'explorer-status', /nothing built/);
    expect(await page.getByTestId('picker-error-input').textContent()).toBe('Input "64x64x3": expected H,W,C as three positive integers separated by commas, such as 224,224,3');
    expect(await page.locator('input[name=input]').inputValue()).toBe('64x64x3');
    expect(await page.locator('input[name=input]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('layer-table').count()).toBe(0);
    // Fixed, it builds; then Classes 0 is named.
    await page.locator('input[name=input]').fill('64,64,3');
    await page.locator('input[name=input]').dispatchEvent('change');
    await waitForText(page, 'explorer-status', /input 64x64x3.*: \d+ layers$/);
    await page.locator('input[name=classes]').fill('0');
    await page.locator('input[name=classes]').dispatchEvent('change');
    await waitForText(page, 'explorer-status', /nothing built/);
    expect(await page.getByTestId('picker-error-classes').textContent()).toBe('Classes "0": expected a whole number of classes, 1 or more');
    expect(new URL(page.url()).searchParams.get('classes')).toBe('0');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the families by their display names', async () => {
    const { page } = await openDemo(browser, inject('baseUrl'), 'arch=googlenet', 'explorer', 'explorer-status', /layers$/);
    expect(await page.locator('select[name=family] option').allTextContents()).toEqual(['LeNet', 'AlexNet', 'VGG', 'GoogLeNet (Inception v1)', 'ResNet']);
    expect(await page.locator('select[name=family] option:checked').textContent()).toBe('GoogLeNet (Inception v1)');
    await page.context().close();
  });
});

const PAGES = demoPages('resnet18');

describe('layout', () => {
  it('has no horizontal overflow at 390x844 on any page, and the nav fits', async () => {
    const { page } = await openPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    const widths: Record<string, number[]> = {};
    for (const p of PAGES) {
      await page.goto(`${inject('baseUrl')}?${p.query}#${p.hash}`);
      await waitForText(page, p.status, p.ready, 60_000);
      widths[p.hash] = await page.evaluate(() => [document.documentElement.scrollWidth, document.querySelector('nav')!.scrollWidth, document.querySelector('header')!.scrollWidth]);
    }
    for (const [hash, [doc, nav, header]] of Object.entries(widths)) {
      expect({ hash, doc, navFits: nav! <= header! }).toEqual({ hash, doc: 390, navFits: true });
    }
    await page.context().close();
  });

  it('follows prefers-color-scheme: dark', async () => {
    const { page } = await openPage(browser);
    const bg = async () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.goto(`${inject('baseUrl')}#explorer`);
    await waitForText(page, 'explorer-status', /layers$/);
    expect(await bg()).toBe('rgb(246, 247, 249)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await bg()).toBe('rgb(20, 23, 29)');
    await page.context().close();
  });
});
