/**
 * fp16 and int8 export without a runtime: binary16 conversion, the files' structure and
 * metadata, the weights import reads back from them, and the errors. (ONNX Runtime runs them in
 * @convzoo/backend-ort's precision tests.)
 */
import { Model, isConvzooError, type TensorMap } from '@convzoo/core';
import { GRAPH_CASES, randomizeNonKernelWeights } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { calibrationOnnx, decodeOnnx, exportOnnx, halfBits, halfValue, importOnnx, onnx, DataType, type ActivationRanges } from '../index.js';

/** core's graph cases with weights to convert (the even-size LRN, spelled out in Mul and Pow, does not import: see roundtrip.test.ts). */
const CASES = Object.entries(GRAPH_CASES)
  .filter(([name, build]) => !name.includes('even size') && build().nodes.some((n) => n.op === 'Conv2D' || n.op === 'Dense'))
  .map(([name, build]): [string, () => Model] => [name, () => randomizeNonKernelWeights(Model.init(build(), 5), 5)]);

/** Every calibrated tensor given [-3, 5]: what a runtime would collect, for structure tests. */
function fakeRanges(model: Model): ActivationRanges {
  return Object.fromEntries(calibrationOnnx(model).tensors.map((t) => [t, [-3, 5] as const]));
}

function metadata(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]));
}

const kernels = (weights: TensorMap) => [...weights].filter(([k]) => k.endsWith('/kernel'));

describe('binary16', () => {
  it('every finite half value converts back to the same bits; NaN stays NaN', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = halfValue(h);
      if (Number.isNaN(v)) expect(Number.isNaN(halfValue(halfBits(v)))).toBe(true);
      else expect(halfBits(v)).toBe(h === 0x8000 ? 0x8000 : h);
    }
  });

  it('rounds to nearest even, overflows to infinity, keeps subnormals', () => {
    expect(halfValue(halfBits(1 + 2 ** -11))).toBe(1); // a tie: to the even 1.0
    expect(halfValue(halfBits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9); // a tie: to the even mantissa 2
    expect(halfValue(halfBits(1 + 2 ** -11 + 2 ** -20))).toBe(1 + 2 ** -10); // past the tie
    expect(halfValue(halfBits(65504))).toBe(65504);
    expect(halfValue(halfBits(65520))).toBe(Infinity);
    expect(halfValue(halfBits(2 ** -24))).toBe(2 ** -24);
    expect(halfValue(halfBits(2 ** -25))).toBe(0); // a tie between 0 and the smallest subnormal
    expect(halfValue(halfBits(3 * 2 ** -26))).toBe(2 ** -24);
    expect(halfValue(halfBits(-0.1))).toBe(-0.0999755859375);
  });
});

describe('fp16 export', () => {
  for (const [name, make] of CASES) {
    it(`${name}: float16 weights through Casts, float32 edges, each imported weight the float16 rounding of the fp32 one`, () => {
      const model = make();
      const bytes = exportOnnx(model, { precision: 'fp16' });
      const m = decodeOnnx(bytes);
      const halves = [...m.graph.initializers.values()].filter((t) => t.dataType === DataType.FLOAT16);
      expect(halves.length).toBeGreaterThan(0);
      const casts = m.graph.nodes.filter((n) => n.opType === 'Cast');
      expect(casts.map((c) => c.inputs[0]).sort()).toEqual(halves.map((t) => t.name).sort());
      expect(casts.every((c) => c.attrs.get('to') === DataType.FLOAT)).toBe(true);
      expect([...m.graph.inputs, ...m.graph.outputs].every((v) => v.elemType === DataType.FLOAT)).toBe(true);
      expect(metadata(bytes)['convzoo.precision']).toBe('fp16');

      const fp32 = importOnnx(exportOnnx(model));
      const fp16 = importOnnx(bytes);
      expect([...fp16.weights.keys()].sort()).toEqual([...fp32.weights.keys()].sort());
      for (const [key, t] of kernels(fp32.weights)) {
        expect(Array.from(fp16.weights.get(key)!.data), key).toEqual(Array.from(t.data, (v) => halfValue(halfBits(v))));
      }
    });
  }

  it('refuses a weight outside float16\'s range, naming it', () => {
    const model = make('conv, BatchNorm, flatten, dense, BatchNorm on the vector, softmax');
    const key = kernels(model.weights)[0]![0];
    model.weights.get(key)!.data[3] = 1e5;
    expect(() => exportOnnx(model, { precision: 'fp16', foldBatchNorm: false })).toThrow(`weight "${key}" holds 100000, outside float16's range (|x| <= 65504); export it as fp32`);
  });
});

function make(name: string): Model {
  return CASES.find(([n]) => n === name)![1]();
}

describe('int8 export', () => {
  for (const [name, build] of CASES) {
    it(`${name}: QDQ around every Conv / Gemm, int8 per-channel weights within half a step of fp32`, () => {
      const model = build();
      const bytes = exportOnnx(model, { precision: 'int8', activationRanges: fakeRanges(model) });
      const m = decodeOnnx(bytes);
      const meta = metadata(bytes);
      expect(meta['convzoo.precision']).toBe('int8');
      expect(meta['convzoo.quantization']).toContain('weights int8 symmetric per output channel');
      const byOutput = new Map(m.graph.nodes.map((n) => [n.outputs[0]!, n]));
      for (const n of m.graph.nodes.filter((k) => k.opType === 'Conv' || k.opType === 'Gemm')) {
        // Activation in: DequantizeLinear of a QuantizeLinear; weight: DequantizeLinear of an int8 initializer.
        const x = byOutput.get(n.inputs[0]!)!;
        expect(x.opType, n.name).toBe('DequantizeLinear');
        expect(byOutput.get(x.inputs[0]!)!.opType).toBe('QuantizeLinear');
        const w = byOutput.get(n.inputs[1]!)!;
        expect(w.opType).toBe('DequantizeLinear');
        const q = m.graph.initializers.get(w.inputs[0]!)!;
        expect(q.dataType).toBe(DataType.INT8);
        const axis = w.attrs.get('axis') as number;
        expect(axis).toBe(n.opType === 'Conv' ? 0 : 1);
        expect(m.graph.initializers.get(w.inputs[1]!)!.dims).toEqual([q.dims[axis]]);
        if (n.inputs[2]) expect(m.graph.initializers.get(byOutput.get(n.inputs[2])!.inputs[0]!)!.dataType).toBe(DataType.INT32);
      }
      // Graph outputs stay float32, unquantized.
      for (const o of m.graph.outputs) expect(byOutput.get(o.name)?.opType).not.toBe('DequantizeLinear');

      const fp32 = importOnnx(exportOnnx(model));
      const int8 = importOnnx(bytes);
      for (const [key, t] of kernels(fp32.weights)) {
        const step = Math.max(...Array.from(t.data, Math.abs)) / 63; // 7-bit weights (reduce_range)
        const got = int8.weights.get(key)!.data;
        let worst = 0;
        t.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[i]! - v))));
        expect(worst, key).toBeLessThanOrEqual(step / 2 * (1 + 1e-6));
      }
    });
  }

  it('the calibration graph exposes the input and each quantized tensor', () => {
    const model = make('conv, BatchNorm, flatten, dense, BatchNorm on the vector, softmax');
    const { bytes, tensors } = calibrationOnnx(model);
    const m = decodeOnnx(bytes);
    expect(tensors).toContain(model.graph.inputs[0]);
    expect(m.graph.inputs[0]!.dims.slice(1)).toEqual(model.inputShape); // NHWC, as predict takes it
    const outputs = m.graph.outputs.map((o) => o.name);
    for (const t of tensors) expect(outputs).toContain(t);
  });

  it('refuses missing or bad ranges and ranges without int8, naming the tensor and what was expected', () => {
    const model = make('conv, BatchNorm, flatten, dense, BatchNorm on the vector, softmax');
    const ranges = fakeRanges(model);
    expect(() => exportOnnx(model, { precision: 'int8' })).toThrow("precision 'int8' needs activationRanges: calibrate on sample inputs first");
    const [first] = Object.keys(ranges);
    const missing = Object.fromEntries(Object.entries(ranges).filter(([k]) => k !== first));
    expect(() => exportOnnx(model, { precision: 'int8', activationRanges: missing })).toThrow(`int8 export needs a finite [min, max] calibration range for tensor "${first}", got undefined`);
    expect(() => exportOnnx(model, { precision: 'int8', activationRanges: { ...ranges, [first!]: [2, 1] } })).toThrow(`tensor "${first}", got [2,1]`);
    expect(() => exportOnnx(model, { precision: 'fp16', activationRanges: ranges })).toThrow("activationRanges are for precision 'int8' only, got precision 'fp16'");
    let error: unknown;
    try {
      exportOnnx(model, { precision: 'int4' as 'int8' });
    } catch (e) {
      error = e;
    }
    expect(isConvzooError(error) && error.code).toBe('ARGUMENT_INVALID');
    expect((error as Error).message).toBe('precision must be one of fp32, fp16, int8, got "int4"');
  });
});
