/** Inspect: an .onnx opened in the page, a node clicked and searched, the graph saved as SVG and PNG. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { encodeSafetensors, graphToJson } from '@convzoo/core';
import { saveModelDir } from '@convzoo/core/node';
import { lenet5 } from '@convzoo/arch-lenet';
import { exportOnnx } from '@convzoo/onnx';
import { launchChromium, openDemo, waitForText } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const table = async (rows: import('playwright-core').Locator) =>
  Object.fromEntries(await rows.locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent])));

describe('inspect', () => {
  it('opens an .onnx file; a clicked node shows its operator, attributes, shapes, params and MACs', async () => {
    const onnx = exportOnnx(lenet5({ seed: 1 }));
    const { page, errors } = await openDemo(browser, inject('baseUrl'), '', 'inspect', 'inspect-status', /open a model file/);
    await page.getByTestId('inspect-files').setInputFiles({ name: 'lenet5.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(onnx) });
    await waitForText(page, 'inspect-status', /^opened lenet5\.onnx: \d+ layers$/, 60_000);
    expect(await page.getByTestId('inspect-info').textContent()).toMatch(/^ONNX by convzoo, opset ai\.onnx 17, \d+ ONNX nodes: lenet5, input \[32, 32, 1\], \d+ layers, 61\.\d+ k params/);
    await page.locator('[data-testid=graph][data-opened=true]').waitFor();
    await page.locator('[data-node=c1] rect').click();
    await page.getByTestId('node-attrs').waitFor();
    expect(await table(page.getByTestId('node-summary'))).toEqual({
      operator: 'Conv2D', inputs: 'input [32, 32, 1]', output: '[28, 28, 6]', params: '156 (0 non-trainable)', MACs: '117,600',
    });
    expect(await table(page.getByTestId('node-attrs'))).toEqual({
      filters: '6', kernelSize: '5 x 5', strides: '1 x 1', padding: 'valid', dilation: '1 x 1', groups: '1', useBias: 'true',
    });
    expect(await table(page.getByTestId('node-weights'))).toEqual({ kernel: '[5, 5, 1, 6]', bias: '[6]' });
    expect(await page.locator('[data-node=c1]').getAttribute('class')).toContain('selected');
    // Search by operator, then pick a hit by keyboard (Enter takes the first).
    await page.getByTestId('node-search').fill('dense');
    expect(await page.getByTestId('search-hits').locator('button').allTextContents()).toEqual(['f6 (Dense)', 'output (Dense)']);
    await page.getByTestId('node-search').press('Enter');
    expect((await table(page.getByTestId('node-summary'))).operator).toBe('Dense');
    expect(await page.locator('[data-testid=node-details] h3').textContent()).toBe('f6');

    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-svg').click()]);
    expect(svg.suggestedFilename()).toBe('lenet5-graph.svg');
    const text = await readFile((await svg.path())!, 'utf8');
    expect(text).toMatch(/^<\?xml[^>]*>\n<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text.match(/data-node="/g)?.length).toBe(await page.locator('[data-node]').count());
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-png').click()]);
    expect(png.suggestedFilename()).toBe('lenet5-graph.png');
    const bytes = await readFile((await png.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(100); // width from IHDR
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opens a model directory\'s files, and names what is missing', async () => {
    const model = lenet5({ variant: 'modern', seed: 2 });
    const { page, errors } = await openDemo(browser, inject('baseUrl'), '', 'inspect', 'inspect-status', /open a model file/);
    await page.getByTestId('inspect-files').setInputFiles([{ name: 'graph.json', mimeType: 'application/json', buffer: Buffer.from(graphToJson(model.graph)) }]);
    await waitForText(page, 'inspect-status', /^graph\.json: expected an \.onnx file, or a model directory's graph\.json and weights\.safetensors/);
    await page.getByTestId('inspect-files').setInputFiles([
      { name: 'graph.json', mimeType: 'application/json', buffer: Buffer.from(graphToJson(model.graph)) },
      { name: 'weights.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeSafetensors(model.weights)) },
    ]);
    await waitForText(page, 'inspect-status', new RegExp(`^opened model directory: ${model.summary().layers.length} layers$`), 60_000);
    expect(await page.getByTestId('inspect-info').textContent()).toContain('convzoo model directory: lenet5, input [32, 32, 1]');
    // The folder itself, as `saveModelDir` writes it (a subfolder beside is ignored).
    const dir = mkdtempSync(join(tmpdir(), 'demo-inspect-'));
    saveModelDir(lenet5({ seed: 4 }), join(dir, 'lenet'));
    mkdirSync(join(dir, 'lenet', 'checkpoints'));
    writeFileSync(join(dir, 'lenet', 'checkpoints', 'graph.json'), 'not this one');
    await page.getByTestId('inspect-files').setInputFiles([{ name: 'graph.json', mimeType: 'application/json', buffer: Buffer.from(graphToJson(model.graph)) }]);
    await waitForText(page, 'inspect-status', /^graph\.json: expected/);
    await page.getByTestId('inspect-folder').setInputFiles(join(dir, 'lenet'));
    await waitForText(page, 'inspect-status', /^opened model directory: \d+ layers$/, 60_000);
    expect(await page.getByTestId('inspect-info').textContent()).toContain('convzoo model directory: lenet5, input [32, 32, 1]');
    rmSync(dir, { recursive: true, force: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
