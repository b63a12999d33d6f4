/**
 * Core's backend conformance, in Chromium, on every browser device: the op cases (batch 2: the
 * hand-worked sample and a seeded one), one model per family, concurrent predicts and dispose,
 * against core's float64 reference, computed in the page (e2e/conformance/main.ts). On the
 * software GPU (SwiftShader) the GPU devices run the light families only unless CONVZOO_FULL=1;
 * ort-wasm runs all five.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DeviceReport } from './conformance/main.js';
import { launchChromium, openPage } from './browser.js';

const FULL = process.env['CONVZOO_FULL'] === '1';

/**
 * max|a - b| / max|b| allowed against the float64 reference. Every device computes in float32:
 * wasm (ORT's CPU kernels) differs from exact arithmetic by rounding and summation order only,
 * core's default 1e-5. The GPU devices also sum in their own order and their shader built-ins
 * (exp, tanh, pow in LRN and softmax) are specified to a few ULP only, not correctly rounded,
 * so 1e-4; SwiftShader measured at most 3.2e-6 here.
 */
const TOLERANCE = { 'tfjs-webgl': 1e-4, 'tfjs-webgpu': 1e-4, 'ort-wasm': 1e-5, 'ort-webgpu': 1e-4 } as const;
/**
 * Cases a device refuses (UNSUPPORTED, naming the node) because its runtime computes them wrongly:
 * onnxruntime-web's WebGPU pooling gets dilated windows wrong. Any other refusal fails the test.
 */
const DILATED = /node "op": (Max|Avg)Pool2D with dilation \dx\d is computed wrongly by onnxruntime-web's WebGPU pooling/;
const REFUSED: Partial<Record<keyof typeof TOLERANCE, Record<string, RegExp>>> = {
  'ort-webgpu': Object.fromEntries(['MaxPool2D dilation 2', 'MaxPool2D dilation 2 explicit pads', 'AvgPool2D dilation 2 exclude pad', 'AvgPool2D dilation 2 count_include_pad ceil mode'].map((n) => [n, DILATED])),
};
/** One training step on a GPU against tfjs-cpu's: float32 forward, backward and update, GPU built-ins as above. */
const TRAINING_TOLERANCE = 1e-4;

type Conformance = { run(device: string, families: 'all' | 'light'): Promise<DeviceReport>; trainingStep(device: string): Promise<{ device: string; maxRelDiff: number }> };

let browser: Browser;
let page: Page;
let errors: string[];
beforeAll(async () => {
  browser = await launchChromium({ webgpu: true });
  ({ page, errors } = await openPage(browser));
  await page.goto(inject('conformanceUrl'));
  await page.waitForFunction(() => 'conformance' in window);
});
afterAll(async () => {
  await browser?.close();
});

describe('browser conformance against the float64 reference', () => {
  for (const [device, tolerance] of Object.entries(TOLERANCE)) {
    it(`${device}: op cases, ${FULL || device === 'ort-wasm' ? 'every family' : 'lenet5 and resnet18'}, concurrent predicts, dispose (tolerance ${tolerance})`, async () => {
      const families = FULL || device === 'ort-wasm' ? 'all' : 'light';
      const r = await page.evaluate(([d, f]) => (window as unknown as { conformance: Conformance }).conformance.run(d, f), [device, families] as const);
      const worst = r.cases.reduce((a, c) => (c.maxRelDiff > a.maxRelDiff ? c : a));
      const refused = r.cases.filter((c) => c.refused !== undefined);
      console.info(`${device} (ran: ${r.device}): worst agreement ${worst.maxRelDiff.toExponential(2)} on "${worst.name}" over ${r.cases.length - refused.length} cases${refused.length ? `; refused: ${refused.map((c) => c.name).join(', ')}` : ''}`);
      expect(r.device).toMatch(device.replace('-', ' '));
      const expectRefused = REFUSED[device as keyof typeof TOLERANCE] ?? {};
      expect(refused.map((c) => c.name)).toEqual(Object.keys(expectRefused));
      for (const c of refused) expect(c.refused).toMatch(expectRefused[c.name]!);
      for (const c of r.cases) {
        expect(c.shapeOk, c.name).toBe(true);
        expect(c.maxRelDiff, c.name).toBeLessThanOrEqual(tolerance);
        if (c.handRelDiff !== undefined) expect(c.handRelDiff, `${c.name} (hand-worked)`).toBeLessThanOrEqual(tolerance);
      }
      expect(r.concurrentEqual).toBe(true);
      expect(r.disposeOk).toBe(true);
      expect(errors).toEqual([]);
    }, FULL ? 900_000 : 240_000);
  }

  for (const device of ['webgl', 'webgpu']) {
    it(`one training step on tfjs-${device} equals tfjs-cpu's within ${TRAINING_TOLERANCE}`, async () => {
      const r = await page.evaluate((d) => (window as unknown as { conformance: Conformance }).conformance.trainingStep(d), device);
      console.info(`training step, ${r.device} vs tfjs cpu: worst weight agreement ${r.maxRelDiff.toExponential(2)}`);
      expect(r.maxRelDiff).toBeLessThanOrEqual(TRAINING_TOLERANCE);
      expect(errors).toEqual([]);
    });
  }
});
