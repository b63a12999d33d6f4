import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Model, decodeSafetensors, graphFromJson } from '@convzoo/core';
import { decodeOnnx } from '@convzoo/backend-ort';
import { resnet18 } from '@convzoo/arch-resnet';
import { launchChromium, openDemo } from './browser.js';

let browser: Browser;
let page: Page;
let errors: string[];
beforeAll(async () => {
  browser = await launchChromium();
  ({ page, errors } = await openDemo(browser, inject('baseUrl'), 'arch=resnet18&input=64,64,3&classes=10&seed=7', 'export', 'export-status', /^ready: /));
});
afterAll(async () => {
  await browser?.close();
});

/** Clicks a download button and returns the saved file's name and bytes. */
async function download(testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(await readFile((await dl.path())!)) };
}

// The same model built in Node: the page's seeded weights must be exactly these.
const expected = resnet18({ inputShape: [64, 64, 3], numClasses: 10, seed: 7 });

describe('export', () => {
  it('downloads ONNX that decodes: IR 8, opset 17, the model input and output', async () => {
    const { name, bytes } = await download('export-onnx');
    expect(name).toBe('resnet18-paper-seed7.onnx');
    // A ModelProto starts with field 1 (ir_version, varint): tag 0x08, then 8.
    expect([...bytes.subarray(0, 2)]).toEqual([0x08, 0x08]);
    const onnx = decodeOnnx(bytes, name);
    expect(onnx.producer).toBe('convzoo');
    expect(onnx.opsets.get('')).toBe(17);
    expect(onnx.graph.inputs[0]!.dims).toEqual(['N', 3, 64, 64]);
    expect(onnx.graph.outputs[0]!.dims).toEqual(['N', 10]);
    expect(onnx.graph.nodes.filter((n) => n.opType === 'Conv')).toHaveLength(20);
  });

  it('downloads graph.json + safetensors that load back into the same model', async () => {
    const graph = await download('export-graph');
    const weights = await download('export-safetensors');
    expect(graph.name).toBe('resnet18-paper-seed7.graph.json');
    expect(weights.name).toBe('resnet18-paper-seed7.safetensors');
    const st = decodeSafetensors(weights.bytes, weights.name);
    const model = new Model(graphFromJson(new TextDecoder().decode(graph.bytes), graph.name), st.tensors);
    expect(model.summary().params).toEqual(expected.summary().params);
    const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const differing = [...expected.weights].filter(([key, t]) => !bytesOf(st.tensors.get(key)!.data).equals(bytesOf(t.data)));
    expect(differing.map(([key]) => key)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
