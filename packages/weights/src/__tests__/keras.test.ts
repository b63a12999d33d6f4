/**
 * Keras Applications' .h5 files (written by h5py in Keras's layout: scripts/make-keras-fixtures.py):
 * both layouts and weight namings, the family tables against Keras's names and shapes, Keras's
 * ResNet50 network against torch's run of Keras's semantics, and the errors.
 */
import { readFileSync } from 'node:fs';
import { resnet50 } from '@convzoo/arch-resnet';
import { vgg16_bn } from '@convzoo/arch-vgg';
import { FileFormatError, GraphBuilder, KERAS_CAFFE, Model, WeightsError, create, maxRelDiff, registry, type KerasNames } from '@convzoo/core';
import { referencePredict } from '@convzoo/core/testing';
import { gunzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWeights, readKerasH5 } from '../index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const json = <T>(name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

const tiny = json<{ weights: Record<string, { shape: number[]; data: number[] }>; input: number[]; logits: number[] }>('keras-tiny.json');

/** The tiny network convzoo-side: conv 3x3 same -> BN (Keras's eps 1e-3) -> ReLU -> pool -> flatten -> dense. */
function tinyModel(o: { useBias?: boolean; units?: number; extra?: boolean } = {}): Model {
  const g = new GraphBuilder('tiny');
  let x = g.conv2d(g.input([4, 4, 2]), { filters: 3, kernelSize: 3, padding: 'same', useBias: o.useBias ?? true, name: 'c1' });
  x = g.maxPool2d(g.relu(g.batchNorm(x, { epsilon: 1e-3, name: 'b1' })), { poolSize: 2, strides: 2 });
  x = g.dense(g.flatten(x), { units: o.units ?? 5, name: 'd1' });
  if (o.extra) x = g.dense(x, { units: 2, name: 'd2' });
  return Model.init(g.build([x]), 0);
}
const TINY: KerasNames = { layers: () => new Map([['c1', 'conv'], ['b1', 'bn'], ['d1', 'dense'], ['d2', 'dense2']]) };

describe('readKerasH5', () => {
  it.each([
    ['keras-tiny.h5', true, ':0'],
    ['keras-tiny-model.h5', false, ''],
  ])('%s: layer_names in order, weights by <layer>/<weight>, the values h5py wrote', (file, indexed, suffix) => {
    const k = readKerasH5(fixture(file), file);
    expect(k.layers).toEqual(['input_1', 'conv', 'bn', 'pool', 'flatten', 'dense']);
    expect(k.indexed).toBe(indexed);
    expect([...k.weights.keys()].sort()).toEqual(Object.keys(tiny.weights).sort());
    for (const [key, want] of Object.entries(tiny.weights)) {
      const w = k.weights.get(key)!;
      const [layer, weight] = key.split('/');
      expect(w.dataset).toBe(`${layer}/${layer}/${weight}${suffix}`);
      expect(w.tensor.shape).toEqual(want.shape);
      expect([...w.tensor.data]).toEqual(want.data);
    }
  });

  it('refuses HDF5 that is not a Keras weights file, and bytes that are not HDF5', () => {
    expect(() => readKerasH5(fixture('not-keras.h5'), 'x.h5')).toThrow(
      new FileFormatError("is HDF5 but not a Keras weights file: no 'layer_names' attribute at its root or in a 'model_weights' group", 'x.h5'),
    );
    // A view into a larger buffer, as Node's pooled Buffers of small files are.
    const pooled = new Uint8Array(8192);
    pooled.set(fixture('not-keras.h5'), 100);
    expect(() => readKerasH5(Buffer.from(pooled.buffer, 100, 2064), 'x.h5')).toThrow("x.h5: is HDF5 but not a Keras weights file");
    const cut = fixture('keras-tiny.h5').subarray(0, 600);
    expect(() => readKerasH5(cut, 'cut.h5')).toThrow(FileFormatError);
    expect(() => readKerasH5(cut, 'cut.h5')).toThrow(/^cut\.h5: corrupt or unsupported HDF5 file: /);
  });
});

describe('loadWeights with a Keras .h5 file', () => {
  it.each(['keras-tiny.h5', 'keras-tiny-model.h5'])('%s: told by its signature, the logits of Keras\'s network (NHWC flatten, no conversion)', (file) => {
    const r = loadWeights(tinyModel(), fixture(file), { keras: TINY, file });
    expect(r.names).toBe('keras');
    expect(r.loaded).toEqual(['c1/kernel', 'c1/bias', 'b1/gamma', 'b1/beta', 'b1/moving_mean', 'b1/moving_variance', 'd1/kernel', 'd1/bias']);
    expect([...r.model.weight('d1', 'kernel').data]).toEqual(tiny.weights['dense/kernel']!.data);
    const [logits] = referencePredict(r.model, { shape: [2, 4, 4, 2], data: Float32Array.from(tiny.input) });
    expect(maxRelDiff(logits!.data, Float32Array.from(tiny.logits))).toBeLessThan(1e-6);
  });

  it('names the Keras layer and dataset of a missing, misshaped or unexpected tensor; strict: false lists them', () => {
    const bytes = fixture('keras-tiny.h5');
    const strict = ' (strict: pass strict: false to load what matches)';
    expect(() => loadWeights(tinyModel({ extra: true }), bytes, { keras: TINY, file: 't.h5' })).toThrow(
      new WeightsError(`t.h5: missing tensor "dense2/dense2/kernel:0" for d2/kernel [5, 2]${strict}`),
    );
    expect(() => loadWeights(tinyModel({ units: 6 }), bytes, { keras: TINY, file: 't.h5' })).toThrow(
      new WeightsError(`t.h5: tensor "dense/dense/kernel:0" has shape [12, 5], expected [12, 6] (Keras layer "dense") for d1/kernel${strict}`),
    );
    expect(() => loadWeights(tinyModel({ useBias: false }), bytes, { keras: TINY, file: 't.h5' })).toThrow(
      new WeightsError(`t.h5: unexpected tensor "conv/conv/bias:0" [3]: no parameter of "tiny" takes it${strict}`),
    );
    const r = loadWeights(tinyModel({ units: 6, extra: true }), bytes, { keras: TINY, file: 't.h5', strict: false });
    expect(r.mismatched).toEqual(['d1/kernel (file tensor "dense/dense/kernel:0" is [12, 5], expected [12, 6] (Keras layer "dense"))', 'd1/bias (file tensor "dense/dense/bias:0" is [5], expected [6] (Keras layer "dense"))']);
    expect(r.missing).toEqual(['d2/kernel (file tensor "dense2/dense2/kernel:0")', 'd2/bias (file tensor "dense2/dense2/bias:0")']);
    expect(r.loaded).toHaveLength(6);
  });

  it('says which models have no Keras names, and which nodes no Keras layer', () => {
    const bytes = fixture('keras-tiny.h5');
    expect(() => loadWeights(tinyModel(), bytes, { file: 't.h5' })).toThrow(
      new WeightsError('t.h5: a Keras .h5 file, but no Keras layer names are known for "tiny" (Keras Applications has VGG16/VGG19 and ResNet50/101/152; pass options.keras)'),
    );
    expect(() => loadWeights(vgg16_bn({ inputShape: [32, 32, 3] }), bytes, { file: 't.h5' })).toThrow(
      new WeightsError('t.h5: node "conv1_1_bn" of "vgg16_bn" has no Keras layer (Keras Applications builds no such network)'),
    );
  });
});

/** Keras Applications' names and shapes (from keras/src/applications, in make-keras-fixtures.py). */
const kerasKeys = json<Record<string, [string, [string, number[]][]][]>>('keras-keys.json');

describe.each(Object.keys(kerasKeys))('%s: the family table meets Keras\'s names and shapes one to one', (name) => {
  it('maps every parameter onto a Keras weight of its shape, and every Keras weight is taken', () => {
    const model = create(name, name.startsWith('resnet') ? { variant: 'keras' } : {});
    const layers = registry.get(name).keras!.layers(model);
    const keras = new Map(kerasKeys[name]!.flatMap(([layer, ws]) => ws.map(([w, shape]) => [`${layer}/${w}`, shape] as const)));
    const mapped = model.paramEntries().map((p) => [`${layers.get(p.node)}/${p.name}`, p.shape] as const);
    expect(new Map(mapped)).toEqual(keras);
    expect(mapped).toHaveLength(keras.size);
  });
});

describe('Keras ResNet50 (.h5 of the full network, sparse seeded weights) in the keras variant', () => {
  const expected = json<{ logits: number[] }>('keras-resnet50.json');
  let bytes: Uint8Array;
  beforeAll(() => {
    bytes = gunzipSync(fixture('keras-resnet50.h5.gz'));
  });

  it('gives the logits of Keras\'s network (torch float64, Keras semantics) at 32x32 within 1e-4', { timeout: 60_000 }, () => {
    const { model } = loadWeights(resnet50({ variant: 'keras', inputShape: [32, 32, 3] }), bytes, { file: 'resnet50.h5' });
    // The input the fixture script used: ((i * 37) % 271) - 120 at flat NHWC index i.
    const input = Float32Array.from({ length: 2 * 32 * 32 * 3 }, (_, i) => ((i * 37) % 271) - 120);
    const [logits] = referencePredict(model, { shape: [2, 32, 32, 3], data: input });
    const err = maxRelDiff(logits!.data, Float32Array.from(expected.logits));
    expect(err).toBeLessThan(1e-4);
    expect(model.preprocessing).toMatchObject({ preset: 'keras-caffe', channels: 'bgr', mean: KERAS_CAFFE.mean });
  });

  it('without its top (a _notop model): strict names the head\'s datasets, strict: false loads the backbone and lists them', { timeout: 60_000 }, () => {
    const notop = resnet50({ variant: 'keras', includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
    expect(() => loadWeights(notop, bytes, { file: 'resnet50.h5' })).toThrow('resnet50.h5: unexpected tensor "predictions/predictions/kernel:0" [2048, 1000]');
    const r = loadWeights(notop, bytes, { file: 'resnet50.h5', strict: false });
    expect(r.unexpected).toEqual(['predictions/predictions/kernel:0', 'predictions/predictions/bias:0']);
    expect(r.loaded).toHaveLength(notop.paramEntries().length);
  });

  it('into another ResNet variant: says Keras\'s network is the keras variant', { timeout: 60_000 }, () => {
    expect(() => loadWeights(resnet50({ variant: 'torchvision', inputShape: [32, 32, 3] }), bytes, { file: 'resnet50.h5' })).toThrow(
      new WeightsError('resnet50.h5: Keras layer "conv1_conv" has dataset "conv1_conv/conv1_conv/bias:0" that "resnet50" has no parameter for: Keras\'s network is the "keras" variant (build it with { variant: \'keras\' })'),
    );
  });
});
