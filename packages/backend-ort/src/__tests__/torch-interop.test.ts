import { readFileSync } from 'node:fs';
import { decodeNpy, maxRelDiff, type TensorData } from '@convzoo/core';
import { referencePredict } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { decodeOnnx, exportOnnx, importOnnx } from '@convzoo/onnx';
import { ortPredict, tfjsWasmPredict } from './helpers.js';

/** Written by scripts/torch-fixtures.py (torch 1.13, seeded weights, randomized BatchNorm). */
const fixture = (name: string) => new URL(`../../fixtures/${name}`, import.meta.url);
const npy = (name: string) => decodeNpy(readFileSync(fixture(name)));

/** NCHW -> NHWC, the layout convzoo's predict takes. */
function toNhwc(t: TensorData): TensorData {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const data = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) data[(b * h * w + p) * c + ch] = t.data[(b * c + ch) * h * w + p]!;
  return { shape: [n, h, w, c], data };
}

describe('PyTorch interop: a torch.onnx.export fixture imports and runs like torch', () => {
  const input = toNhwc(npy('tiny_cnn.input.npy'));
  const expected = npy('tiny_cnn.output.npy');

  for (const opset of [11, 17]) {
    const bytes = readFileSync(fixture(`tiny_cnn.opset${opset}.onnx`));

    it(`opset ${opset}: the fixture holds the torch idioms it is meant to test`, () => {
      const ops = new Set(decodeOnnx(bytes).graph.nodes.map((n) => n.opType));
      for (const op of ['Conv', 'BatchNormalization', 'MaxPool', 'Pad', 'AveragePool', 'Concat', 'Add', 'Shape', 'Gather', 'Unsqueeze', 'Reshape', 'Gemm', 'Softmax']) {
        expect(ops.has(op), op).toBe(true);
      }
      const pool = decodeOnnx(bytes).graph.nodes.find((n) => n.opType === 'MaxPool')!;
      expect(pool.attrs.get('ceil_mode')).toBe(1);
    });

    it(`opset ${opset}: imported, ort-cpu, tfjs-wasm and the float64 reference match torch within 1e-4`, async () => {
      const model = importOnnx(bytes);
      expect(model.inputShape).toEqual([13, 15, 3]);
      const [ort] = await ortPredict(model, input);
      expect(ort!.shape).toEqual([2, 5]);
      expect(maxRelDiff(ort!.data, expected.data)).toBeLessThan(1e-4);
      const [wasm] = await tfjsWasmPredict(model, input);
      expect(maxRelDiff(wasm!.data, expected.data)).toBeLessThan(1e-4);
      const [ref] = referencePredict(model, input);
      expect(maxRelDiff(ref!.data, expected.data)).toBeLessThan(1e-4);
    });

    it(`opset ${opset}: re-exported by convzoo, it still matches torch and imports again`, async () => {
      const again = importOnnx(exportOnnx(importOnnx(bytes)));
      const [ort] = await ortPredict(again, input);
      expect(maxRelDiff(ort!.data, expected.data)).toBeLessThan(1e-4);
    });
  }
});
