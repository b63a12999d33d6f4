/**
 * The browser conformance page: core's op cases, one small model per family, concurrent predicts
 * and dispose on one Run-page device, against core's float64 reference interpreter; and one
 * tfjs training step against tfjs-cpu's. Results come back as JSON to e2e/conformance.test.ts,
 * which asserts them (core's vitest suite cannot run inside a page).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConvzooError, GraphBuilder, maxRelDiff, Model, sizeOf, type TensorData } from '@convzoo/core';
import { OP_CASES, opCaseModel, randomInput, randomizeNonKernelWeights, referencePredict } from '@convzoo/core/testing';
import { alexnet } from '@convzoo/arch-alexnet';
import { googlenet } from '@convzoo/arch-inception';
import { lenet5 } from '@convzoo/arch-lenet';
import { buildResNet } from '@convzoo/arch-resnet';
import { buildVgg } from '@convzoo/arch-vgg';
import { compileOn, ranOn, type RunDevice } from '../../src/run/devices.js';
import { tfjsBackend } from '../../src/run/tfjs-web.js';

export interface CaseResult {
  readonly name: string;
  /** max|a - b| / max|b| against the float64 reference (the whole batch). */
  readonly maxRelDiff: number;
  /** The same against the hand-worked expected values (op cases' first sample), else undefined. */
  readonly handRelDiff?: number;
  readonly shapeOk: boolean;
  readonly ms: number;
  /** The backend refused the case with an UNSUPPORTED error (this message) instead of running it. */
  readonly refused?: string;
}

export interface DeviceReport {
  readonly requested: RunDevice;
  readonly device: string;
  readonly cases: CaseResult[];
  /** 8 concurrent predicts on one compiled model gave exactly the sequential outputs. */
  readonly concurrentEqual: boolean;
  /** predict after dispose rejected, and (tfjs) the model's tensors were freed. */
  readonly disposeOk: boolean;
}

/**
 * One model per family, at the smallest inputs each takes, 10 classes, non-kernel weights
 * randomized. `light` ones are cheap on a software GPU; AlexNet, VGG (two 4096-unit dense layers
 * each) and GoogLeNet (some 60 convolutions' shaders) take 20-35 s each per GPU device under
 * SwiftShader and add no op the op cases lack.
 */
const FAMILIES: readonly { name: string; light?: boolean; model: () => Model }[] = [
  { name: 'lenet5 paper 32x32', light: true, model: () => lenet5({ variant: 'paper' }) },
  { name: 'alexnet torchvision 63x63', model: () => alexnet({ variant: 'torchvision', inputShape: [63, 63, 3], numClasses: 10 }) },
  { name: 'vgg11_bn 32x32', model: () => buildVgg(11, true, { inputShape: [32, 32, 3], numClasses: 10 }) },
  { name: 'googlenet torchvision 31x31', model: () => googlenet({ variant: 'torchvision', inputShape: [31, 31, 3], numClasses: 10, auxClassifiers: false }) },
  { name: 'resnet18 torchvision 16x16', light: true, model: () => buildResNet(18, { variant: 'torchvision', inputShape: [16, 16, 3], numClasses: 10 }) },
].map((f) => ({ ...f, model: () => randomizeNonKernelWeights(f.model(), 1) }));

/** The reference outputs, computed once per page (the float64 interpreter is the slow part). */
const references = new Map<string, { model: Model; input: TensorData; ref: TensorData[] }>();
function reference(name: string, build: () => { model: Model; input: TensorData }) {
  let r = references.get(name);
  if (r === undefined) {
    const { model, input } = build();
    references.set(name, (r = { model, input, ref: referencePredict(model, input) }));
  }
  return r;
}

/** An op case on a batch of two: its hand-checked sample, then a seeded random one (as core's suite). */
function opInput(c: (typeof OP_CASES)[number]): TensorData {
  const perSample = sizeOf(c.inputShape);
  const data = new Float32Array(2 * perSample);
  data.set(c.input);
  data.set(randomInput([1, ...c.inputShape], 7).data, perSample);
  return { shape: [2, ...c.inputShape], data };
}

const sameShapes = (a: TensorData[], b: TensorData[]) => a.length === b.length && a.every((t, i) => t.shape.join() === b[i]!.shape.join());
const worst = (a: TensorData[], b: TensorData[]) => Math.max(...a.map((t, i) => maxRelDiff(t.data, b[i]!.data)));

async function runCase(device: RunDevice, name: string, model: Model, input: TensorData, ref: TensorData[], expected?: readonly number[]): Promise<CaseResult> {
  const t0 = performance.now();
  let compiled: Awaited<ReturnType<typeof compileOn>>;
  try {
    compiled = await compileOn(device, model);
  } catch (e) {
    if (!(e instanceof ConvzooError && e.code === 'UNSUPPORTED')) throw e;
    return { name, maxRelDiff: 0, shapeOk: true, ms: performance.now() - t0, refused: e.message };
  }
  try {
    const out = await compiled.predict(input);
    const first = out[0]!.data.subarray(0, out[0]!.data.length / input.shape[0]!);
    return {
      name,
      maxRelDiff: worst(out, ref),
      handRelDiff: expected === undefined ? undefined : maxRelDiff(first, Float32Array.from(expected)),
      shapeOk: sameShapes(out, ref),
      ms: performance.now() - t0,
    };
  } finally {
    await compiled.dispose();
  }
}

function smallNet(): Model {
  const g = new GraphBuilder('concurrency');
  let x = g.conv2d(g.input([8, 8, 3]), { filters: 4, kernelSize: 3, activation: 'relu' });
  x = g.flatten(g.maxPool2d(x, { poolSize: 2 }));
  return Model.init(g.build([g.dense(x, { units: 5 })]), 1);
}

async function concurrency(device: RunDevice): Promise<{ equal: boolean; device: string; disposeOk: boolean }> {
  const compiled = await compileOn(device, smallNet());
  const inputs = Array.from({ length: 8 }, (_, i) => randomInput([2, 8, 8, 3], 100 + i));
  const sequential: Float32Array[] = [];
  for (const x of inputs) sequential.push((await compiled.predict(x))[0]!.data);
  const concurrent = await Promise.all(inputs.map((x) => compiled.predict(x)));
  const equal = concurrent.every(([y], i) => y!.data.length === sequential[i]!.length && y!.data.every((v, j) => v === sequential[i]![j]));
  const ran = ranOn(device, compiled);
  const tensors = device.startsWith('tfjs-') ? tf.memory().numTensors : 0;
  await compiled.dispose();
  const freed = device.startsWith('tfjs-') ? tf.memory().numTensors < tensors : true;
  const rejected = await compiled.predict(inputs[0]!).then(() => false, () => true);
  return { equal, device: ran, disposeOk: freed && rejected };
}

/** Every op case, then every family (or only the light ones), then concurrency and dispose. */
async function run(device: RunDevice, families: 'all' | 'light'): Promise<DeviceReport> {
  const { equal, device: ran, disposeOk } = await concurrency(device);
  const cases: CaseResult[] = [];
  for (const c of OP_CASES) {
    const r = reference(c.name, () => ({ model: opCaseModel(c), input: opInput(c) }));
    cases.push(await runCase(device, c.name, r.model, r.input, r.ref, c.expected));
  }
  for (const f of FAMILIES.filter((m) => families === 'all' || m.light)) {
    const r = reference(f.name, () => { const model = f.model(); return { model, input: randomInput([1, ...model.inputShape], 3) }; });
    cases.push(await runCase(device, f.name, r.model, r.input, r.ref));
  }
  return { requested: device, device: ran, cases, concurrentEqual: equal, disposeOk };
}

/**
 * One SGD-with-momentum step of a small BatchNorm / dropout-free conv net on `device` and on
 * tfjs-cpu from the same weights: the worst max|a - b| / max|b| over every weight.
 */
async function trainingStep(device: 'webgl' | 'webgpu'): Promise<{ device: string; maxRelDiff: number }> {
  const build = () => {
    const g = new GraphBuilder('train_step');
    let x = g.conv2d(g.input([8, 8, 3]), { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' });
    x = g.batchNorm(x, { name: 'bn' });
    x = g.flatten(g.maxPool2d(x, { poolSize: 2 }));
    return randomizeNonKernelWeights(Model.init(g.build([g.dense(x, { units: 3, name: 'fc' })]), 2), 2);
  };
  const data = { x: randomInput([4, 8, 8, 3], 9), y: [0, 1, 2, 1] };
  const opts = { optimizer: { name: 'sgd', momentum: 0.9 }, learningRate: 0.1, epochs: 1, batchSize: 4, shuffle: false } as const;
  const [a, b] = [build(), build()];
  await (await tfjsBackend(device)).fit(a, data, opts);
  await (await tfjsBackend('cpu')).fit(b, data, opts);
  let diff = 0;
  for (const [key, t] of a.weights) diff = Math.max(diff, maxRelDiff(t.data, b.weights.get(key)!.data));
  return { device: `tfjs ${device}`, maxRelDiff: diff };
}

Object.assign(window, { conformance: { run, trainingStep } });
