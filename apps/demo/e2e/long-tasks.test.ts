/**
 * The main thread stays responsive while the demo builds, runs and exports big models: the
 * longest main-thread task (Long Tasks API) per action, printed and bounded. Building, weights,
 * export and runs (every device) happen in the model worker.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, waitForText } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium({ webgpu: true });
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The bound asserted. The goal is 200 ms; this machine's 2 cores are shared with other jobs,
 * so a preempted frame can run long without the page doing anything: the bound sits well
 * above the measured values (printed) so that it flags a synchronous build or run on the main
 * thread (seconds) and not scheduling noise.
 */
const BOUND_MS = 500;
const FULL = process.env['CONVZOO_FULL'] === '1';

/** Records every long task from the start of the page (buffered), in the page's clock. */
async function observedPage(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser);
  await opened.page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  return opened;
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** The longest main-thread task that started between `from` and now (0 when none passed 50 ms). */
async function longestSince(page: Page, from: number): Promise<number> {
  // Long-task entries are delivered after the task ends: one more frame lets the last arrive.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  return page.evaluate((t0) => Math.max(0, ...(window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
    .filter((t) => t.start >= t0).map((t) => t.duration)), from);
}

const measured: string[] = [];
afterAll(() => {
  console.log(`longest main-thread task per action (bound ${BOUND_MS} ms, goal 200 ms):\n${measured.join('\n')}`);
});

async function record(label: string, page: Page, from: number): Promise<number> {
  const longest = await longestSince(page, from);
  measured.push(`  ${label}: ${longest.toFixed(0)} ms`);
  return longest;
}

describe('long tasks: building, running and exporting big models keeps the main thread free', () => {
  // The GPU devices at 64x64, and only with CONVZOO_FULL=1: under software WebGL / WebGPU
  // (SwiftShader) that case alone takes about 2 minutes here (shader compiles), 224x224 far more.
  for (const { arch, input, devices, full } of [
    { arch: 'resnet152', input: '', devices: 'ort-wasm,tfjs-wasm', full: false },
    { arch: 'vgg19', input: '', devices: 'ort-wasm', full: false },
    { arch: 'resnet152', input: '64,64,3', devices: 'tfjs-webgl,ort-webgpu', full: true },
  ]) {
    it.runIf(!full || FULL)(`Run: ${arch} at ${input || 'its default input'} on ${devices}`, async () => {
      const { page, errors } = await observedPage();
      await page.goto(`${inject('baseUrl')}?arch=${arch}${input && `&input=${input}`}&devices=${devices}#run`);
      await waitForText(page, 'run-status', /press Run$/);
      const t0 = await now(page);
      await page.getByTestId('run-button').click();
      // The progress bar counts devices done while the worker builds and runs.
      await page.getByTestId('run-progress').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await page.getByTestId('run-progress').getAttribute('max')).toBe(String(devices.split(',').length));
      await page.locator('#run-report').filter({ hasText: /^\[/ }).waitFor({ state: 'attached', timeout: 280_000 });
      const rows = JSON.parse((await page.locator('#run-report').textContent())!) as { requested: string; error?: string; maxRelDiff: number }[];
      for (const r of rows) expect(r.error, r.requested).toBeUndefined();
      expect(await page.getByTestId('run-progress').isHidden()).toBe(true);
      expect(Math.max(...rows.map((r) => r.maxRelDiff))).toBeLessThanOrEqual(1e-3);
      expect(await record(`run ${arch}${input && ` ${input}`} (build + ${devices})`, page, t0)).toBeLessThan(BOUND_MS);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 300_000);
  }

  // Picked after the page has loaded with the family's smallest model, so the page load is not counted.
  for (const { first, arch, layers } of [{ first: 'vgg11', arch: 'vgg19_bn', layers: 62 }, { first: 'resnet18', arch: 'resnet152', layers: 515 }]) {
    it(`Explorer: building ${arch}`, async () => {
      const { page, errors } = await observedPage();
      await page.goto(`${inject('baseUrl')}?arch=${first}#explorer`);
      await waitForText(page, 'explorer-status', /: \d+ layers$/, 60_000);
      const t0 = await now(page);
      await page.getByTestId('pick-arch').selectOption(arch);
      await waitForText(page, 'explorer-status', new RegExp(`^${arch} .*: ${layers} layers$`), 120_000);
      expect(await record(`explorer ${arch} (build, table, graph)`, page, t0)).toBeLessThan(BOUND_MS);
      expect(await page.getByTestId('explorer-progress').isHidden()).toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    }, 180_000);
  }

  it('Export: VGG-16 as ONNX says its size before writing it', async () => {
    const { page, errors } = await observedPage();
    await page.goto(`${inject('baseUrl')}?arch=vgg16#export`);
    await waitForText(page, 'export-status', /^ready: /, 120_000);
    const built = await record('export page vgg16 (build)', page, 0);
    const t0 = await now(page);
    const [dl, note] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.getByTestId('export-onnx-nchw').click().then(() => waitForText(page, 'export-status', /^writing /, 30_000)),
    ]);
    // 138,357,544 float32 parameters: the size is said while the file is written, before it is offered.
    expect(note).toBe('writing vgg16-paper-seed0-nchw.onnx (about 553 MB)…');
    expect(await page.getByTestId('export-progress').isVisible()).toBe(false);
    expect(dl.suggestedFilename()).toBe('vgg16-paper-seed0-nchw.onnx');
    const saved = await waitForText(page, 'export-status', /^saved /, 30_000);
    const bytes = Number(/\(([\d,]+) bytes\)$/.exec(saved)![1]!.replace(/,/g, ''));
    expect(Math.abs(bytes - 553_430_176) / 553_430_176).toBeLessThan(0.01);
    const exported = await record('export vgg16 ONNX', page, t0);
    expect(built).toBeLessThan(BOUND_MS);
    expect(exported).toBeLessThan(BOUND_MS);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);
});
