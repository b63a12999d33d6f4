/**
 * ONNX files mapped onto the native models. The torch.onnx.export graphs in fixtures/onnx
 * (scripts/make-onnx-fixtures.py, torch 1.13: node names such as `/layer1/layer1.0/conv1/Conv`,
 * BatchNorm folded into anonymous `onnx::Conv_N` initializers or kept, equal initializers shared
 * through Identity nodes) have their weights stripped; each test fills them with seeded numbers,
 * loads the file into convzoo's model and runs it against the very same file imported as an
 * anonymous graph, both on ort-cpu. Full-size parity with torch: PARITY.md.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { alexnet } from '@convzoo/arch-alexnet';
import { googlenet } from '@convzoo/arch-inception';
import { resnet18 } from '@convzoo/arch-resnet';
import { vgg11_bn } from '@convzoo/arch-vgg';
import { WeightsError, maxRelDiff, type Model } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights } from '@convzoo/core/testing';
import { ort } from '@convzoo/backend-ort';
import { exportOnnx, importOnnx, onnx, type IModelProto } from '@convzoo/onnx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWeights } from '../index.js';
import { RUNS, expectTypedOutcome, mutations } from './fuzzing.js';
import { torchModulePath } from '../onnx.js';

const backend = ort({ device: 'cpu' });

/** Exact equality of two float arrays (vitest's toEqual walks a typed array key by key: out of memory at 16M). */
const bitsEqual = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

async function logits(model: Model, input: ReturnType<typeof randomInput>): Promise<Float32Array> {
  const compiled = await backend.compile(model);
  try {
    return (await compiled.predict(input))[0]!.data;
  } finally {
    await compiled.dispose();
  }
}

/** A seeded uniform stream (mulberry32). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The stripped graph with its Conv / Gemm / BatchNormalization initializers filled: kernels
 * uniform with variance 2 / fan-in (activations stay of order 1 through 20 layers), biases and
 * BN shifts in +-0.1, BN scales and variances in [0.5, 1.5]. Filled once per file (tests decode their own copy).
 */
const filledFiles = new Map<string, Uint8Array>();
function filled(name: string): Uint8Array {
  let bytes = filledFiles.get(name);
  if (bytes === undefined) filledFiles.set(name, (bytes = fill(name)));
  return bytes;
}

function fill(name: string): Uint8Array {
  const proto = onnx.ModelProto.decode(gunzipSync(readFileSync(new URL(`./fixtures/onnx/${name}.onnx.gz`, import.meta.url)))) as IModelProto;
  const graph = proto.graph!;
  const source = new Map<string, string>();
  for (const n of graph.node!) if (n.opType === 'Identity') source.set(n.output![0]!, source.get(n.input![0]!) ?? n.input![0]!);
  const role = new Map<string, 'kernel' | 'shift' | 'scale'>();
  for (const n of graph.node!) {
    if (!['Conv', 'Gemm', 'BatchNormalization'].includes(n.opType!)) continue;
    n.input!.slice(1).forEach((input, k) => {
      const bnScale = n.opType === 'BatchNormalization' && (k === 0 || k === 3);
      role.set(source.get(input) ?? input, k === 0 && n.opType !== 'BatchNormalization' ? 'kernel' : bnScale ? 'scale' : 'shift');
    });
  }
  const next = uniform(1);
  for (const t of graph.initializer!) {
    const r = role.get(t.name!);
    if (r === undefined) continue;
    const dims = t.dims!.map(Number);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    // Conv's [o, i, kh, kw] and Gemm's [out, in] (torch writes transB 1): fan-in is all but dim 0.
    const fanIn = r === 'kernel' ? data.length / dims[0]! : 1;
    const bound = Math.sqrt(6 / fanIn);
    for (let i = 0; i < data.length; i++) data[i] = r === 'kernel' ? (next() * 2 - 1) * bound : r === 'scale' ? 0.5 + next() : (next() * 2 - 1) * 0.1;
    t.rawData = new Uint8Array(data.buffer);
  }
  return onnx.ModelProto.encode(proto).finish();
}

/** torchvision's GoogLeNet transform_input, x_c * std_c / 0.5 + (mean_c - 0.5) / 0.5, on an NHWC batch. */
function transformInput(x: ReturnType<typeof randomInput>): ReturnType<typeof randomInput> {
  const [mean, std] = [[0.485, 0.456, 0.406], [0.229, 0.224, 0.225]];
  return { shape: x.shape, data: x.data.map((v, i) => v * (std[i % 3]! / 0.5) + (mean[i % 3]! - 0.5) / 0.5) };
}

/** The file with torch's root-scope transform_input nodes before conv1 (`/Gather`, `/Mul_1`, `/Concat`, ...) cut: conv1 reads the input. */
function withoutTransformInput(bytes: Uint8Array): Uint8Array {
  const proto = onnx.ModelProto.decode(bytes) as IModelProto;
  const graph = proto.graph!;
  const conv1 = graph.node!.find((n) => n.opType === 'Conv')!;
  conv1.input![0] = graph.input![0]!.name!;
  const first = graph.node!.indexOf(conv1);
  graph.node = graph.node!.filter((n, i) => i >= first || n.opType === 'Identity' || !/^\/[A-Za-z]+(_\d+)?$/.test(n.name!));
  return onnx.ModelProto.encode(proto).finish();
}

const TORCH_FILES: [string, () => Model, string][] = [
  ['resnet18', () => resnet18({ variant: 'torchvision', inputShape: [64, 64, 3], numClasses: 10 }), 'opset 17, BatchNorm folded into the convs'],
  ['googlenet', () => googlenet({ variant: 'torchvision', inputShape: [96, 96, 3], numClasses: 10 }), 'opset 13, no constant folding, BatchNorm kept, transform_input'],
  ['vgg11_bn', () => vgg11_bn({ inputShape: [64, 64, 3], numClasses: 10 }), 'opset 15, no constant folding, BatchNorm kept, fc6 after a 2x2 map'],
  ['alexnet', () => alexnet({ variant: 'torchvision', inputShape: [95, 95, 3], numClasses: 10 }), 'opset 14, fc6 after a 2x2 map'],
];

describe('torch.onnx.export files load into the native models', () => {
  for (const [name, build, what] of TORCH_FILES) {
    it(`${name} (${what}) gives the imported graph's logits on ort-cpu within 1e-5`, async () => {
      const bytes = filled(name);
      const result = loadWeights(build(), bytes, { file: `${name}.onnx` });
      expect(result.names).toBe('torchvision');
      const input = randomInput([2, ...result.model.inputShape], 5);
      // convzoo's importer does not take transform_input's Gather on data: the graph from conv1 on, fed the transformed input.
      const transformed = name === 'googlenet';
      const imported = importOnnx(transformed ? withoutTransformInput(bytes) : bytes);
      expect(imported.inputShape).toEqual(result.model.inputShape);
      const expected = await logits(imported, transformed ? transformInput(input) : input);
      const got = await logits(result.model, input);
      expect(got.length).toBe(20);
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1e-2);
      expect(maxRelDiff(got, expected)).toBeLessThan(1e-5);
    }, 60_000);
  }

  it('GoogLeNet: the file computes transform_input before its first conv, so the loaded model has it; aux heads keep their weights', () => {
    const model = googlenet({ variant: 'torchvision', inputShape: [96, 96, 3], numClasses: 10 });
    const { model: loaded, loaded: keys } = loadWeights(model, filled('googlenet'));
    expect(loaded.nodes.some((n) => n.name === 'transform_input')).toBe(true);
    const aux = model.paramEntries().filter((p) => !model.isInferenceNode(p.node));
    expect(aux.length).toBeGreaterThan(0);
    for (const p of aux) expect(bitsEqual(loaded.weight(p.node, p.name).data, model.weight(p.node, p.name).data), p.key).toBe(true);
    expect(keys).toContain('inception_3a_3x3/kernel');
  });

  it('a folded BatchNorm becomes the identity with the folded bias as its beta (ResNet convs have no bias)', () => {
    const { model } = loadWeights(resnet18({ variant: 'torchvision', inputShape: [64, 64, 3], numClasses: 10 }), filled('resnet18'));
    const bn = (p: string) => model.weight('bn1', p).data;
    expect([...bn('gamma')].every((v) => v === 1)).toBe(true);
    expect([...bn('moving_mean')].every((v) => v === 0)).toBe(true);
    expect([...bn('moving_variance')].every((v) => v === Math.fround(1 - 1e-5))).toBe(true);
    expect(Math.max(...bn('beta').map(Math.abs))).toBeGreaterThan(0);
  });
});

describe('convzoo ONNX exports load back', () => {
  const build = (name: string, seed: number) => (name === 'resnet18'
    ? resnet18({ variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 10, seed })
    : vgg11_bn({ inputShape: [32, 32, 3], numClasses: 10, seed }));
  const cases = [['vgg11_bn', 'nchw', false], ['resnet18', 'nhwc', false], ['resnet18', 'nchw', true], ['vgg11_bn', 'nhwc', true]] as const;
  for (const [name, inputLayout, foldBatchNorm] of cases) {
    const what = `${name}, ${inputLayout} input, BatchNorm ${foldBatchNorm ? 'folded' : 'kept'}`;
    it(foldBatchNorm ? `${what}: logits equal on ort-cpu within 1e-5` : `${what}: every weight equal`, async () => {
      const source = randomizeNonKernelWeights(build(name, 7), 7);
      const { model, names } = loadWeights(build(name, 1), exportOnnx(source, { inputLayout, foldBatchNorm }));
      expect(names).toBe('convzoo');
      if (!foldBatchNorm) {
        for (const p of source.paramEntries()) expect(bitsEqual(model.weight(p.node, p.name).data, source.weight(p.node, p.name).data), p.key).toBe(true);
        return;
      }
      const input = randomInput([2, 32, 32, 3], 3);
      expect(maxRelDiff(await logits(model, input), await logits(source, input))).toBeLessThan(1e-5);
    }, 60_000);
  }
});

describe('mismatches name the ONNX node and initializer', () => {
  const resnet = () => resnet18({ variant: 'torchvision', inputShape: [64, 64, 3], numClasses: 10 });

  it('a misshaped initializer, and strict: false listing it', () => {
    const five = resnet18({ variant: 'torchvision', inputShape: [64, 64, 3], numClasses: 5 });
    expect(() => loadWeights(five, filled('resnet18'), { file: 'r.onnx' }))
      .toThrow(new WeightsError('r.onnx: initializer "fc.weight" (weight of ONNX Gemm node "/fc/Gemm") is [10, 512], expected [5, 512] for fc/kernel (strict: pass strict: false to load what matches)'));
    const lenient = loadWeights(five, filled('resnet18'), { strict: false });
    expect(lenient.mismatched).toEqual(['fc/kernel (file tensor "fc.weight" is [10, 512], expected [out, in] [5, 512])', 'fc/bias (file tensor "fc.bias" is [10], expected [5])']);
    expect(lenient.loaded).toHaveLength(five.paramEntries().length - 2);
  });

  it('a node that maps to nothing', () => {
    const bytes = filled('alexnet');
    expect(() => loadWeights(resnet(), bytes, { file: 'a.onnx' })).toThrow(/^a\.onnx: ONNX Conv node "\/features\/features\.0\/Conv" \(initializer "features\.0\.weight" \[64, 3, 11, 11\]\) matches no node of "resnet18" \(torch module "features\.0"\)/);
  });

  it('a parameter no node of the file holds', () => {
    const proto = onnx.ModelProto.decode(filled('alexnet')) as IModelProto;
    proto.graph!.node = proto.graph!.node!.filter((n) => n.name !== '/classifier/classifier.4/Gemm');
    const bytes = onnx.ModelProto.encode(proto).finish();
    const model = alexnet({ variant: 'torchvision', inputShape: [95, 95, 3], numClasses: 10 });
    expect(() => loadWeights(model, bytes)).toThrow('weights: no ONNX node holds the parameters of "fc7" (fc7/kernel [4096, 4096]): expected a Gemm node named "fc7" or with torch\'s module path "classifier.4"');
    const lenient = loadWeights(model, bytes, { strict: false });
    expect(lenient.missing).toEqual(['fc7/kernel (file tensor "classifier.4.weight")', 'fc7/bias (file tensor "classifier.4.bias")']);
    expect(bitsEqual(lenient.model.weight('fc7', 'kernel').data, model.weight('fc7', 'kernel').data)).toBe(true);
  });

  it('a weight that is no initializer', () => {
    const proto = onnx.ModelProto.decode(filled('alexnet')) as IModelProto;
    proto.graph!.initializer = proto.graph!.initializer!.filter((t) => t.name !== 'features.3.weight');
    expect(() => loadWeights(alexnet({ variant: 'torchvision', inputShape: [95, 95, 3], numClasses: 10 }), onnx.ModelProto.encode(proto).finish()))
      .toThrow('weights: ONNX Conv node "/features/features.3/Conv" reads its weight from "features.3.weight", which is neither an initializer nor a Constant of the file (strict: pass strict: false to load what matches)');
  });

  it('external data without a reader', () => {
    const proto = onnx.ModelProto.decode(filled('alexnet')) as IModelProto;
    const t = proto.graph!.initializer!.find((i) => i.name === 'features.0.weight')!;
    t.rawData = new Uint8Array(0);
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.externalData = [{ key: 'location', value: 'alexnet.onnx.data' }];
    expect(() => loadWeights(alexnet({ variant: 'torchvision', inputShape: [95, 95, 3], numClasses: 10 }), onnx.ModelProto.encode(proto).finish(), { file: 'a.onnx' }))
      .toThrow('a.onnx: initializer data is in the external file "alexnet.onnx.data": pass options.externalData to read it (the CLI reads it from beside the .onnx file)');
  });
});

describe('torch module paths from node names', () => {
  it.each([
    ['/layer1/layer1.0/conv1/Conv', 'layer1.0.conv1'],
    ['/features/features.0/Conv', 'features.0'],
    ['/fc/Gemm', 'fc'],
    ['/inception3a/branch2/branch2.0/conv/Conv', 'inception3a.branch2.0.conv'],
    ['/layer1/layer1.0/downsample/downsample.0/Conv', 'layer1.0.downsample.0'],
  ])('%s -> %s', (node, path) => expect(torchModulePath(node)).toBe(path));
  it('names torch did not write have none', () => {
    expect(torchModulePath('conv1')).toBeUndefined();
    expect(torchModulePath('Conv_3')).toBeUndefined();
  });
});

describe('ONNX weights fuzzing', () => {
  // The stripped torch graph as is (its weights hold no data): mutated, truncated, extended.
  const base = new Uint8Array(gunzipSync(readFileSync(new URL('./fixtures/onnx/resnet18.onnx.gz', import.meta.url))));
  const model = resnet18({ variant: 'torchvision', inputShape: [64, 64, 3], numClasses: 10 });
  const runs = Math.ceil(RUNS / 4);
  it(`${runs} damaged files end in a ConvzooError, never another exception`, { timeout: 30_000 + runs * 20 }, () => {
    fc.assert(fc.property(mutations(base), expectTypedOutcome('loadWeights', (bytes) => loadWeights(model, bytes, { format: 'onnx' }))), { numRuns: runs, seed: 17 });
  });
});
