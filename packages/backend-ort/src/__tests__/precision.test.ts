/**
 * Reduced precision on ort-cpu: fp16 files (float16 weights, float32 compute) against float32 for
 * each family, int8 QDQ files fused by ONNX Runtime into integer kernels and held against float32
 * (LeNet-5 trained on an MNIST slice: accuracy; ResNet-18: top-1 agreement), and both read back
 * by import and run on tfjs-cpu and ort-cpu.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alexnet } from '@convzoo/arch-alexnet';
import { googlenet } from '@convzoo/arch-inception';
import { lenet5 } from '@convzoo/arch-lenet';
import { resnet18 } from '@convzoo/arch-resnet';
import { buildVgg } from '@convzoo/arch-vgg';
import { tfjs } from '@convzoo/backend-tfjs';
import { GraphBuilder, maxRelDiff, Model, type TensorData } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { loadMnist } from '@convzoo/datasets';
import { decodeOnnx, exportOnnx, importOnnx } from '@convzoo/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { cpu, ortPredict } from './helpers.js';

const tfjsCpu = tfjs({ device: 'cpu' });

async function tfjsCpuPredict(model: Model, input: TensorData): Promise<TensorData[]> {
  const compiled = await tfjsCpu.compile(model);
  try {
    return await compiled.predict(input);
  } finally {
    await compiled.dispose();
  }
}

/** Runs an exported (NCHW-input) file on onnxruntime; `optimized` saves ORT's optimized graph there. */
async function runFile(bytes: Uint8Array, x: TensorData, optimized?: string): Promise<Float32Array> {
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, ...(optimized ? { optimizedModelFilePath: optimized, graphOptimizationLevel: 'extended' } : {}) });
  const [n, h, w, c] = x.shape as [number, number, number, number];
  // NHWC -> NCHW.
  const nchw = new Float32Array(x.data.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let ch = 0; ch < c; ch++) nchw[((b * c + ch) * h + y) * w + xx] = x.data[((b * h + y) * w + xx) * c + ch]!;
  const out = await session.run({ [session.inputNames[0]!]: new Tensor('float32', nchw, [n, c, h, w]) });
  const data = out[session.outputNames[0]!]!.data as Float32Array;
  await session.release();
  return data;
}

function argmaxes(logits: Float32Array, classes: number): number[] {
  return Array.from({ length: logits.length / classes }, (_, i) => {
    const row = logits.subarray(i * classes, (i + 1) * classes);
    return row.indexOf(Math.max(...row));
  });
}

const agreement = (a: number[], b: number[]) => a.filter((v, i) => v === b[i]).length / a.length;

/** One model per family; `importBack`: also read its fp16 file back (the small ones: tfjs-cpu is slow on AlexNet's and VGG's classifiers). */
const FAMILIES: readonly [string, () => Model, boolean][] = [
  ['lenet5 paper', () => lenet5({ variant: 'paper', seed: 1 }), true],
  ['alexnet torchvision 63x63', () => alexnet({ variant: 'torchvision', inputShape: [63, 63, 3], numClasses: 10, seed: 1 }), false],
  ['vgg11_bn 32x32', () => buildVgg(11, true, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 }), false],
  ['googlenet torchvision 31x31', () => googlenet({ variant: 'torchvision', inputShape: [31, 31, 3], numClasses: 10, auxClassifiers: false, seed: 1 }), true],
  ['resnet18 torchvision 32x32', () => resnet18({ inputShape: [32, 32, 3], numClasses: 10, seed: 1 }), true],
];

describe('fp16 on ort-cpu', () => {
  for (const [name, build, importBack] of FAMILIES) {
    it(`${name}: fp16 within 2e-3 of fp32${importBack ? '; the fp16 file imports back and runs on tfjs-cpu and ort-cpu within 1e-5 of it' : ''}`, async () => {
      const model = build();
      const x = randomInput([2, ...model.inputShape], 11);
      const [fp32] = await ortPredict(model, x);
      const [fp16] = await ortPredict(model, x, { precision: 'fp16' });
      const d = maxRelDiff(fp16!.data, fp32!.data);
      console.log(`${name}: fp16 vs fp32 ${d.toExponential(2)}`);
      expect(d).toBeLessThanOrEqual(2e-3);
      expect(d).toBeGreaterThan(0); // the weights really were rounded
      if (!importBack) return;

      const bytes = exportOnnx(model, { precision: 'fp16' });
      const fromFile = await runFile(bytes, x);
      const imported = importOnnx(bytes);
      expect(maxRelDiff((await ortPredict(imported, x))[0]!.data, fromFile)).toBeLessThanOrEqual(1e-5);
      expect(maxRelDiff((await tfjsCpuPredict(imported, x))[0]!.data, fromFile)).toBeLessThanOrEqual(1e-5);
    }, 120_000);
  }
});

describe('int8 QDQ on ort-cpu', () => {
  it('LeNet-5 (paper) trained on an MNIST slice: int8 accuracy within 1 point of fp32 on 2,000 test digits', async () => {
    const train = loadMnist({ split: 'train', limit: 6000, pad: 2 });
    const test = loadMnist({ split: 'test', limit: 2000, pad: 2 });
    const model = lenet5({ variant: 'paper', seed: 1 });
    await cpu.fit(model, { x: train.images, y: train.labels }, { epochs: 1, batchSize: 32, seed: 1, optimizer: 'adam', learningRate: 2e-3 });
    // Calibrate on 256 training digits (labels unused).
    const calibration = [{ shape: [256, 32, 32, 1], data: train.images.data.subarray(0, 256 * 1024) }];
    const accuracy = async (precision: 'fp32' | 'int8') => {
      const [logits] = await ortPredict(model, test.images, precision === 'int8' ? { precision, calibration } : {});
      const predicted = argmaxes(logits!.data as Float32Array, 10);
      return predicted.filter((p, i) => p === test.labels[i]).length / predicted.length;
    };
    const fp32 = await accuracy('fp32');
    const int8 = await accuracy('int8');
    console.log(`LeNet-5 paper on 2,000 MNIST test digits: fp32 ${(100 * fp32).toFixed(2)}%, int8 ${(100 * int8).toFixed(2)}%`);
    expect(fp32).toBeGreaterThan(0.9);
    expect(Math.abs(int8 - fp32)).toBeLessThanOrEqual(0.01);
  }, 120_000);

  it('ResNet-18: ORT fuses the QDQ file into integer kernels; top-1 agrees with fp32 on 90% of 64 inputs; the file imports back', async () => {
    const model = resnet18({ inputShape: [32, 32, 3], numClasses: 10, seed: 0 });
    const calibration = [randomInput([16, 32, 32, 3], 1)];
    const ranges = await cpu.calibrate(model, calibration);
    const bytes = exportOnnx(model, { precision: 'int8', activationRanges: ranges });
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-int8-'));
    try {
      const x = randomInput([64, 32, 32, 3], 2);
      const int8 = await runFile(bytes, x, join(dir, 'optimized.onnx'));
      const ops = decodeOnnx(readFileSync(join(dir, 'optimized.onnx'))).graph.nodes.map((n) => n.opType);
      const count = (op: string) => ops.filter((o) => o === op).length;
      // Every Conv, residual Add, the pooling and the classifier run on 8-bit integers.
      expect(count('QLinearConv')).toBe(20);
      expect(count('QLinearAdd')).toBe(8);
      expect(count('QLinearGlobalAveragePool')).toBe(1);
      expect(count('QGemm')).toBe(1);
      expect(ops.filter((o) => ['Conv', 'Gemm', 'Add', 'Relu', 'DequantizeLinear'].includes(o))).toEqual([]);

      const [fp32] = await ortPredict(model, x);
      const top = agreement(argmaxes(int8, 10), argmaxes(fp32!.data as Float32Array, 10));
      const d = maxRelDiff(int8, fp32!.data);
      console.log(`ResNet-18 int8 vs fp32: top-1 agreement ${(100 * top).toFixed(1)}% of 64, logits ${d.toExponential(2)}`);
      expect(top).toBeGreaterThanOrEqual(0.9);
      expect(d).toBeLessThanOrEqual(0.1);

      // Import drops the activation Q/DQ pairs: float32 compute with the dequantized weights.
      const imported = importOnnx(bytes);
      const onOrt = (await ortPredict(imported, x))[0]!.data;
      const few = { shape: [4, 32, 32, 3], data: x.data.subarray(0, 4 * 32 * 32 * 3) };
      const onTfjs = (await tfjsCpuPredict(imported, few))[0]!.data;
      expect(maxRelDiff(onTfjs, onOrt.subarray(0, 40))).toBeLessThanOrEqual(1e-5);
      const vsFile = maxRelDiff(onOrt, int8);
      console.log(`ResNet-18 int8 file imported (Q/DQ pairs dropped) vs the file on ORT: ${vsFile.toExponential(2)}`);
      expect(vsFile).toBeLessThanOrEqual(0.1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses int8 without calibration, calibration without int8, and unknown precisions, each naming what it expected', async () => {
    const model = lenet5({ variant: 'modern', seed: 0 });
    await expect(cpu.compile(model, { precision: 'int8' })).rejects.toThrow("precision 'int8' needs calibration: sample input batches (NHWC, preprocessed) to take the activation ranges from");
    await expect(cpu.compile(model, { precision: 'fp16', calibration: [randomInput([1, 32, 32, 1], 0)] })).rejects.toThrow("calibration is for precision 'int8' only, got precision 'fp16'");
    await expect(cpu.compile(model, { precision: 'bf16' as 'fp16' })).rejects.toThrow('precision must be one of fp32, fp16, int8, got "bf16"');
    await expect(cpu.calibrate(model, [])).rejects.toThrow('calibration needs at least one batch of sample inputs');
    await expect(cpu.calibrate(model, [randomInput([1, 28, 28, 1], 0)])).rejects.toThrow(/28/);
  });
});

describe('clip, leaky_relu and dilated pools in reduced-precision files', () => {
  it('run on ort-cpu: fp16 within 2e-3 of fp32, int8 (the dilated AveragePool left float) within 5e-2', async () => {
    const g = new GraphBuilder('new_forms');
    const x = g.conv2d(g.input([9, 9, 3]), { filters: 4, kernelSize: 3, padding: 1 });
    const y = g.add([g.relu6(x), g.activation(x, { fn: 'clip', max: 0.2 }), g.leakyRelu(x, 0.2)]);
    const pooled = g.avgPool2d(g.maxPool2d(y, { poolSize: 2, strides: 1, dilation: 2, padding: 1 }), { poolSize: 2, strides: 1, dilation: 2, padding: 1, countIncludePad: false });
    const model = Model.init(g.build([g.dense(g.flatten(pooled), { units: 5 })]), 3);
    const input = randomInput([8, ...model.inputShape], 2);
    const [fp32] = await ortPredict(model, input);
    const [fp16] = await ortPredict(model, input, { precision: 'fp16' });
    const [int8] = await ortPredict(model, input, { precision: 'int8', calibration: [input] });
    const d16 = maxRelDiff(fp16!.data, fp32!.data), d8 = maxRelDiff(int8!.data, fp32!.data);
    console.log(`new forms: fp16 vs fp32 ${d16.toExponential(2)}, int8 vs fp32 ${d8.toExponential(2)}`);
    expect(d16).toBeGreaterThan(0);
    expect(d16).toBeLessThanOrEqual(2e-3);
    expect(d8).toBeGreaterThan(0);
    expect(d8).toBeLessThanOrEqual(5e-2);
  });
});
