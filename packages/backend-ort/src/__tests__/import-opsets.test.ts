/**
 * @convzoo/onnx's operator x opset x attribute-form table (packages/onnx/fixtures, expected
 * outputs from a float64 numpy reference) on the two runtimes: each imported case runs on ort-cpu
 * and tfjs-wasm within 1e-5. The original ONNX files run on onnxruntime itself too (opset 7 and
 * later, the oldest it loads), which checks the table's expected values independently. The
 * torch.onnx.export fixtures at opsets 9 to 17 run on both runtimes like torch, within 1e-4.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeNpy, maxRelDiff, type TensorData } from '@convzoo/core';
import { importOnnx } from '@convzoo/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ortPredict, tfjsWasmPredict } from './helpers.js';

interface Data { shape: number[]; data: string }
interface Case {
  op: string;
  opset: number;
  form: string;
  model: string;
  refuse?: string;
  onnx?: { input: Data; output: Data };
  convzoo?: { input: Data; output: Data };
}

const { cases } = JSON.parse(gunzipSync(readFileSync(new URL('../../../onnx/fixtures/import-opsets.json.gz', import.meta.url))).toString()) as { cases: Case[] };
const imported = cases.filter((c) => c.refuse === undefined);

function tensor(t: Data): TensorData {
  const bytes = Buffer.from(t.data, 'base64');
  return { shape: t.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}

/** max |got - want| / max(1, |want|), after the shapes agree. */
function diff(got: TensorData, want: TensorData): number {
  expect(got.shape).toEqual(want.shape);
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - want.data[i]!) / Math.max(1, Math.abs(want.data[i]!)));
  return worst;
}

describe('import across opsets on ort-cpu and tfjs-wasm', () => {
  for (const c of imported) {
    it(`${c.op} @${c.opset}: ${c.form}`, async () => {
      const model = importOnnx(Buffer.from(c.model, 'base64'));
      const input = tensor(c.convzoo!.input);
      const want = tensor(c.convzoo!.output);
      expect(diff((await ortPredict(model, input))[0]!, want)).toBeLessThanOrEqual(1e-5);
      expect(diff((await tfjsWasmPredict(model, input))[0]!, want)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('onnxruntime agrees with the table\'s expected values on the original files (opset 7+)', async () => {
    let checked = 0;
    for (const c of imported.filter((k) => k.opset >= 7)) {
      const session = await InferenceSession.create(Buffer.from(c.model, 'base64'));
      const x = tensor(c.onnx!.input);
      const out = await session.run({ x: new Tensor('float32', x.data as Float32Array, x.shape) });
      const y = out[session.outputNames[0]!]!;
      expect(diff({ shape: [...y.dims], data: y.data as Float32Array }, tensor(c.onnx!.output)), `${c.op} @${c.opset}: ${c.form}`).toBeLessThanOrEqual(1e-5);
      await session.release();
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('torch.onnx.export at opsets 9 to 17 on ort-cpu and tfjs-wasm', () => {
  const fixture = (name: string) => readFileSync(new URL(`../../../onnx/fixtures/torch/${name}`, import.meta.url));
  for (const name of ['lenet_like', 'tiny_conv_bn_pool', 'tiny_relu6_leaky']) {
    for (const opset of [9, 11, 13, 17]) {
      it(`${name} at opset ${opset}`, async () => {
        const model = importOnnx(fixture(`${name}.opset${opset}.onnx`));
        const input = decodeNpy(fixture(`${name}.input.npy`));
        const expected = decodeNpy(fixture(`${name}.output.npy`));
        expect(maxRelDiff((await ortPredict(model, input))[0]!.data, expected.data)).toBeLessThan(1e-4);
        expect(maxRelDiff((await tfjsWasmPredict(model, input))[0]!.data, expected.data)).toBeLessThan(1e-4);
      });
    }
  }
});
