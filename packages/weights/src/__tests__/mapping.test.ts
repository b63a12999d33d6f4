import { readFileSync } from 'node:fs';
import { alexnet } from '@convzoo/arch-alexnet';
import { googlenet, TRANSFORM_INPUT } from '@convzoo/arch-inception';
import { resnet18 } from '@convzoo/arch-resnet';
import { vgg11_bn } from '@convzoo/arch-vgg';
import { GraphBuilder, Model, create, encodeSafetensors, registry, type TensorMap } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { hwioToOihw } from '@convzoo/onnx';
import { describe, expect, it } from 'vitest';
import { loadWeights, torchStateDict as torchStateDictOf } from '../index.js';

/** torch's parameter names, stated here independently of the loader's table. */
const SUFFIX: Record<string, string> = { kernel: 'weight', bias: 'bias', gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' };

/** Exact equality of two float arrays, fast (vitest's toEqual walks typed arrays element by element). */
const bitsEqual = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const torchKeys = JSON.parse(readFileSync(new URL('./fixtures/torchvision-keys.json', import.meta.url), 'utf8')) as Record<string, Record<string, number[]>>;

/** Test-only writer: a convzoo model's weights as the state dict torch would hold for it. */
function torchStateDict(model: Model): TensorMap {
  const modules = registry.get(model.name).torchvision!.modules(model);
  const nodes = new Map(model.nodes.map((n) => [n.name, n]));
  const out: TensorMap = new Map();
  for (const p of model.paramEntries()) {
    const t = model.weight(p.node, p.name);
    const key = `${modules.get(p.node)}.${SUFFIX[p.name]}`;
    const node = nodes.get(p.node)!;
    if (node.op === 'Conv2D' && p.name === 'kernel') {
      const [kh, kw, i, o] = t.shape as number[];
      out.set(key, { shape: [o!, i!, kh!, kw!], data: hwioToOihw(t.data, t.shape) });
    } else if (node.op === 'Dense' && p.name === 'kernel') {
      const [i, o] = t.shape as [number, number];
      let x = nodes.get(node.inputs[0]!)!;
      while (x.op === 'Dropout') x = nodes.get(x.inputs[0]!)!;
      const [h, w, c] = x.op === 'Flatten' ? (model.shapeOf(x.inputs[0]!) as number[]) : [1, 1, i];
      const data = new Float32Array(i * o);
      // torch's row (ch, y, x) of an NCHW flatten is convzoo's row (y, x, ch) of an NHWC one.
      for (let ch = 0; ch < c!; ch++) {
        for (let pix = 0; pix < h! * w!; pix++) {
          for (let k = 0; k < o; k++) data[k * i + ch * h! * w! + pix] = t.data[(pix * c! + ch) * o + k]!;
        }
      }
      out.set(key, { shape: [o, i], data });
    } else {
      out.set(key, t);
    }
  }
  return out;
}

const FAMILIES: [string, () => Model][] = [
  ['resnet18', () => resnet18({ variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 10, seed: 3 })],
  ['vgg11_bn', () => vgg11_bn({ inputShape: [32, 32, 3], numClasses: 10, seed: 3 })],
  // AlexNet at 95x95 leaves a 2x2 pool5: fc6's rows are reordered from the NCHW flatten.
  ['alexnet', () => alexnet({ variant: 'torchvision', inputShape: [95, 95, 3], numClasses: 10, seed: 3 })],
  ['googlenet', () => googlenet({ variant: 'torchvision', inputShape: [96, 96, 3], numClasses: 10, seed: 3 })],
];

describe('torchvision names', () => {
  it.each(Object.keys(torchKeys))('%s: the family table gives exactly torchvision\'s state-dict keys', (name) => {
    const model = create(name, name.startsWith('vgg') ? {} : { variant: 'torchvision' });
    const modules = registry.get(name).torchvision!.modules(model);
    const mine = model.paramEntries().map((p) => `${modules.get(p.node)}.${SUFFIX[p.name]}`).sort();
    const theirs = Object.keys(torchKeys[name]!).filter((k) => !k.endsWith('num_batches_tracked')).sort();
    expect(mine).toEqual(theirs);
    for (const p of model.paramEntries()) {
      const shape = torchKeys[name]![`${modules.get(p.node)}.${SUFFIX[p.name]}`]!;
      expect(shape.reduce((a, b) => a * b, 1), p.key).toBe(p.shape.reduce((a, b) => a * b, 1));
    }
  });
});

describe('round trip: convzoo model -> torch-named safetensors -> loadWeights', () => {
  it.each(FAMILIES)('%s: identical weights and logits', { timeout: 180_000 }, (_name, build) => {
    const original = build();
    const file = encodeSafetensors(torchStateDict(original));
    const target = build().withWeights(new Map([...original.weights].map(([k, t]) => [k, { shape: t.shape, data: t.data.map(() => 0) }])));
    const { model, names, loaded } = loadWeights(target, file, { pretrained: false });
    expect(names).toBe('torchvision');
    expect(loaded.length).toBe(original.paramEntries().length);
    for (const [k, t] of original.weights) expect(bitsEqual(model.weights.get(k)!.data, t.data), k).toBe(true);
    const x = randomInput([1, ...original.inputShape], 5);
    expect(bitsEqual(referencePredict(model, x)[0]!.data, referencePredict(original, x)[0]!.data)).toBe(true);
  });

  it('convzoo\'s own names load as they are', () => {
    const original = resnet18({ inputShape: [32, 32, 3], numClasses: 10, seed: 4 });
    const { model, names } = loadWeights(resnet18({ inputShape: [32, 32, 3], numClasses: 10 }), encodeSafetensors(original.weights));
    expect(names).toBe('convzoo');
    for (const [k, t] of original.weights) expect(bitsEqual(model.weights.get(k)!.data, t.data), k).toBe(true);
  });
});

describe('GoogLeNet transform_input', () => {
  const build = () => googlenet({ variant: 'torchvision', inputShape: [96, 96, 3], auxClassifiers: false, seed: 2 });

  it('is added by default, as torchvision does with weights, and is the per-channel affine', () => {
    const original = build();
    const file = encodeSafetensors(torchStateDict(original));
    const plain = loadWeights(build(), file, { pretrained: false }).model;
    const { model } = loadWeights(build(), file);
    expect(model.nodes[1]!.name).toBe(TRANSFORM_INPUT);
    expect(plain.nodes.some((n) => n.name === TRANSFORM_INPUT)).toBe(false);
    const x = randomInput([1, ...original.inputShape], 6);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const affine = { shape: x.shape, data: x.data.map((v, i) => v * (std[i % 3]! / 0.5) + (mean[i % 3]! - 0.5) / 0.5) };
    const a = referencePredict(model, x)[0]!.data;
    const b = referencePredict(plain, affine)[0]!.data;
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 4);
  });
});

describe('mismatches', () => {
  const imagenet = () => resnet18({ variant: 'torchvision', inputShape: [32, 32, 3], seed: 1 });

  it('non-strict into numClasses 10 loads the backbone and lists the skipped head', () => {
    const file = encodeSafetensors(torchStateDict(imagenet()));
    const { loaded, mismatched, missing, unexpected } = loadWeights(resnet18({ variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 10 }), file, { strict: false });
    expect(mismatched).toEqual([
      'fc/kernel (file tensor "fc.weight" is [1000, 512], expected [out, in] [10, 512])',
      'fc/bias (file tensor "fc.bias" is [1000], expected [10])',
    ]);
    expect(missing).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(loaded.length).toBe(imagenet().paramEntries().length - 2);
  });

  it('strict names the first misshaped, missing or unexpected tensor', () => {
    const sd = torchStateDict(imagenet());
    const small = resnet18({ variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 10 });
    expect(() => loadWeights(small, encodeSafetensors(sd), { file: 'r18.safetensors' })).toThrow(
      'r18.safetensors: tensor "fc.weight" has shape [1000, 512], expected [out, in] [10, 512] for fc/kernel (strict: pass strict: false to load what matches)',
    );
    const without = new Map(sd);
    without.delete('layer2.0.bn1.running_var');
    expect(() => loadWeights(imagenet(), encodeSafetensors(without))).toThrow('missing tensor "layer2.0.bn1.running_var" for layer2_0_bn1/moving_variance [128]');
    const extra = new Map(sd).set('head.weight', { shape: [1], data: new Float32Array(1) });
    expect(() => loadWeights(imagenet(), encodeSafetensors(extra))).toThrow('unexpected tensor "head.weight" [1]: no parameter of "resnet18" takes it');
  });

  it('a file for another architecture is one clear error', () => {
    const file = encodeSafetensors(torchStateDict(imagenet()));
    expect(() => loadWeights(vgg11_bn({ inputShape: [32, 32, 3] }), file)).toThrow('missing tensor "features.0.weight" for conv1_1/kernel [3, 3, 3, 64]');
  });
});

describe('torchStateDict: the loader\'s table run the other way', () => {
  it.each(FAMILIES)('%s: exactly the state dict the independent test writer makes', { timeout: 60_000 }, (_name, build) => {
    const model = build();
    const ours = torchStateDictOf(model);
    const theirs = torchStateDict(model);
    // GoogLeNet's module always has transform_input (the identity here), as torchvision's pretrained one does.
    if (model.name === 'googlenet') {
      expect(ours.get('transform_input.weight')).toEqual({ shape: [3, 1, 1, 1], data: new Float32Array([1, 1, 1]) });
      expect(ours.get('transform_input.bias')).toEqual({ shape: [3], data: new Float32Array(3) });
      ours.delete('transform_input.weight');
      ours.delete('transform_input.bias');
    }
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [k, t] of theirs) {
      expect(ours.get(k)!.shape, k).toEqual(t.shape);
      expect(bitsEqual(ours.get(k)!.data, t.data), k).toBe(true);
    }
  });

  it('a model without torchvision names (LeNet-5-like) goes by the generated module\'s names and comes back bit for bit', () => {
    const g = new GraphBuilder('no-table');
    const x = g.input([12, 12, 1]);
    const s2 = g.subsampling(g.conv2d(x, { filters: 4, kernelSize: 5, name: 'c1' }), { poolSize: 2, name: 's2' });
    const graph = g.build([g.dense(g.flatten(s2, 'flatten'), { units: 3, name: 'fc' })]);
    const original = Model.init(graph, 5);
    const sd = torchStateDictOf(original);
    expect([...sd.keys()]).toEqual(['c1.weight', 'c1.bias', 's2.weight', 's2.bias', 'fc.weight', 'fc.bias']);
    const { model, loaded } = loadWeights(Model.init(graph, 6), encodeSafetensors(sd));
    expect(loaded).toHaveLength(6);
    for (const [k, t] of original.weights) expect(bitsEqual(model.weights.get(k)!.data, t.data), k).toBe(true);
    sd.delete('s2.weight');
    expect(() => loadWeights(Model.init(graph), encodeSafetensors(sd), { file: 'tiny.safetensors' }))
      .toThrow('tiny.safetensors: missing tensor "s2.weight" for s2/coefficient [4]');
  });
});
