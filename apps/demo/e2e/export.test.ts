import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Model, decodeSafetensors, graphFromJson } from '@convzoo/core';
import { loadModelDir } from '@convzoo/core/node';
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
  it('downloads ONNX that decodes: IR 8, opset 17, the model input and output; each layout its own name', async () => {
    const { name, bytes } = await download('export-onnx-nchw');
    expect(name).toBe('resnet18-paper-seed7-nchw.onnx');
    // A ModelProto starts with field 1 (ir_version, varint): tag 0x08, then 8.
    expect([...bytes.subarray(0, 2)]).toEqual([0x08, 0x08]);
    const onnx = decodeOnnx(bytes, name);
    expect(onnx.producer).toBe('convzoo');
    expect(onnx.opsets.get('')).toBe(17);
    expect(onnx.graph.inputs[0]!.dims).toEqual(['N', 3, 64, 64]);
    expect(onnx.graph.outputs[0]!.dims).toEqual(['N', 10]);
    expect(onnx.graph.nodes.filter((n) => n.opType === 'Conv')).toHaveLength(20);
    const nhwc = await download('export-onnx-nhwc');
    expect(nhwc.name).toBe('resnet18-paper-seed7-nhwc.onnx');
    expect(decodeOnnx(nhwc.bytes, nhwc.name).graph.inputs[0]!.dims).toEqual(['N', 64, 64, 3]);
  });

  it('downloads graph.json + safetensors that load back into the same model', async () => {
    const graph = await download('export-graph');
    const weights = await download('export-safetensors');
    // The names loadModelDir (and so every CLI command) reads.
    expect(graph.name).toBe('graph.json');
    expect(weights.name).toBe('weights.safetensors');
    const prep = await download('export-preprocessing');
    expect(prep.name).toBe('preprocessing.json');
    expect(JSON.parse(new TextDecoder().decode(prep.bytes))).toEqual(JSON.parse(JSON.stringify(expected.preprocessing)));
    const st = decodeSafetensors(weights.bytes, weights.name);
    const model = new Model(graphFromJson(new TextDecoder().decode(graph.bytes), graph.name), st.tensors);
    expect(model.summary().params).toEqual(expected.summary().params);
    const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const differing = [...expected.weights].filter(([key, t]) => !bytesOf(st.tensors.get(key)!.data).equals(bytesOf(t.data)));
    expect(differing.map(([key]) => key)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('downloads the directory as a zip that the CLI reads once unzipped', async () => {
    const { name, bytes } = await download('export-zip');
    expect(name).toBe('resnet18-paper-seed7.zip');
    const dir = mkdtempSync(join(tmpdir(), 'demo-zip-'));
    writeFileSync(join(dir, name), bytes);
    execFileSync('unzip', ['-q', name], { cwd: dir });
    expect(readdirSync(join(dir, 'resnet18-paper-seed7')).sort()).toEqual(['graph.json', 'preprocessing.json', 'weights.safetensors']);
    const model = loadModelDir(join(dir, 'resnet18-paper-seed7'));
    expect(model.summary().params).toEqual(expected.summary().params);
    expect(model.preprocessing).toEqual(expected.preprocessing);
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-exports the trained LeNet-5 with what training recorded: classes, dataset, epoch, input statistics, preprocessing', async () => {
    const trained = await openDemo(browser, inject('baseUrl'), 'arch=lenet5&weights=lenet5-mnist', 'export', 'export-status', /^ready: /);
    const [dl] = await Promise.all([trained.page.waitForEvent('download'), trained.page.getByTestId('export-safetensors').click()]);
    const shipped = decodeSafetensors(new Uint8Array(await readFile(new URL('../public/models/lenet5-mnist/weights.safetensors', import.meta.url))), 'shipped');
    const again = decodeSafetensors(new Uint8Array(await readFile((await dl.path())!)), 'again');
    expect(again.metadata).toEqual(shipped.metadata);
    expect(again.metadata.convzoo_classes).toBe(JSON.stringify(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']));
    const [prep] = await Promise.all([trained.page.waitForEvent('download'), trained.page.getByTestId('export-preprocessing').click()]);
    expect(JSON.parse(await readFile((await prep.path())!, 'utf8'))).toMatchObject({ preset: 'mnist', channels: 'gray' });
    expect(trained.errors).toEqual([]);
    await trained.page.context().close();
  });
});
