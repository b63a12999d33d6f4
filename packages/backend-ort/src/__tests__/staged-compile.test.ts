/**
 * Large models open from a temporary ONNX file with external data (onnxruntime-node holds a
 * model given as bytes twice more while its session starts): same predictions, nothing left
 * behind, bytes when the temporary folder cannot be written, and no MLAS prepacking (whose
 * copies of the mapped weights were most of VGG-19's compile peak).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphBuilder, Model } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import type { InferenceSession } from 'onnxruntime-common';
import { ort, OrtBackend } from '../index.js';
import type { OrtOptions } from '../common/options.js';
import { nodeRuntime, STAGE_MIN_WEIGHT_BYTES, type OrtDevice } from '../node.js';

/** 4,200 -> 4,096 dense: 68.8 MB of float32, just over the staging threshold. */
function wide(): Model {
  const g = new GraphBuilder('wide');
  return Model.init(g.build([g.dense(g.flatten(g.input([1, 1, 4200])), { units: 4096, name: 'fc' })]), 3);
}

/** A cpu backend whose sessions record the options they were created with. */
function recording(opts: OrtOptions<OrtDevice> = {}) {
  const seen: InferenceSession.SessionOptions[] = [];
  const create = (model: string | Uint8Array, o: InferenceSession.SessionOptions) => {
    seen.push(o);
    return typeof model === 'string' ? nodeRuntime.InferenceSession.create(model, o) : nodeRuntime.InferenceSession.create(model, o);
  };
  const runtime = { ...nodeRuntime, InferenceSession: { create } as unknown as typeof InferenceSession };
  return { backend: new OrtBackend(runtime, { device: 'cpu', ...opts }), seen };
}

const ours = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('convzoo-ort-')));
const exportOptions = { inputLayout: 'nhwc', outputLayout: 'nhwc', foldBatchNorm: true } as const;
const savedTmp = process.env.TMPDIR;

afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe('ort-cpu compile of a model over STAGE_MIN_WEIGHT_BYTES', () => {
  const model = wide();
  const x = randomInput([2, 1, 1, 4200], 1);
  const want = referencePredict(model, x)[0]!;
  const maxAbs = Math.max(...want.data.map(Math.abs));

  it('stages an ONNX file whose weights are external data, and removes it on dispose', () => {
    expect(4 * 4200 * 4096).toBeGreaterThan(STAGE_MIN_WEIGHT_BYTES);
    const staged = nodeRuntime.stage!(model, exportOptions)!;
    expect(statSync(staged.path).size).toBeLessThan(64 * 1024);
    expect(statSync(`${staged.path}.data`).size).toBe(4 * (4200 * 4096 + 4096));
    staged.dispose();
    expect(existsSync(staged.path)).toBe(false);
  });

  it('does not stage a small model', () => {
    const g = new GraphBuilder('small');
    expect(nodeRuntime.stage!(Model.init(g.build([g.dense(g.input([8]), { units: 4, name: 'fc' })])), exportOptions)).toBeUndefined();
  });

  it('predicts what the float64 reference does and leaves no file behind', async () => {
    const before = ours();
    const compiled = await ort({ device: 'cpu' }).compile(model);
    expect(ours()).toEqual(before);
    const [y] = await compiled.predict(x);
    await compiled.dispose();
    expect(y!.shape).toEqual([2, 4096]);
    const err = Math.max(...y!.data.map((v, i) => Math.abs(v - want.data[i]!)));
    expect(err / maxAbs).toBeLessThan(1e-5);
  });

  it('opens a staged model without prepacking, keeping the caller\'s extra entries, and predicts as before', async () => {
    const { backend, seen } = recording({ sessionOptions: { extra: { session: { intra_op: { allow_spinning: '0' } } } } });
    const compiled = await backend.compile(model);
    const [y] = await compiled.predict(x);
    await compiled.dispose();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.extra).toEqual({ session: { disable_prepacking: '1', intra_op: { allow_spinning: '0' } } });
    const err = Math.max(...y!.data.map((v, i) => Math.abs(v - want.data[i]!)));
    expect(err / maxAbs).toBeLessThan(1e-5);
  });

  it('lets sessionOptions turn prepacking back on; bytes and small models keep it', async () => {
    const packed = recording({ sessionOptions: { extra: { session: { disable_prepacking: '0' } } } });
    await (await packed.backend.compile(model)).dispose();
    expect(packed.seen[0]!.extra).toEqual({ session: { disable_prepacking: '0' } });
    const g = new GraphBuilder('small');
    const small = recording();
    await (await small.backend.compile(Model.init(g.build([g.dense(g.input([8]), { units: 4, name: 'fc' })])))).dispose();
    expect(small.seen[0]!.extra).toBeUndefined();
  });

  it('opens from bytes when the temporary folder cannot be written', async () => {
    process.env.TMPDIR = join(tmpdir(), 'convzoo-no-such-dir', 'deeper');
    expect(nodeRuntime.stage!(model, exportOptions)).toBeUndefined();
    const { backend, seen } = recording();
    const compiled = await backend.compile(model);
    expect(seen[0]!.extra).toBeUndefined();
    const [y] = await compiled.predict(x);
    await compiled.dispose();
    const err = Math.max(...y!.data.map((v, i) => Math.abs(v - want.data[i]!)));
    expect(err / maxAbs).toBeLessThan(1e-5);
  });
});
