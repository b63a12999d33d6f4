/**
 * Large models open from a temporary ONNX file with external data (onnxruntime-node holds a
 * model given as bytes twice more while its session starts): same predictions, nothing left
 * behind, and bytes when the temporary folder cannot be written.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphBuilder, Model } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { ort } from '../index.js';
import { nodeRuntime, STAGE_MIN_WEIGHT_BYTES } from '../node.js';

/** 4,200 -> 4,096 dense: 68.8 MB of float32, just over the staging threshold. */
function wide(): Model {
  const g = new GraphBuilder('wide');
  return Model.init(g.build([g.dense(g.flatten(g.input([1, 1, 4200])), { units: 4096, name: 'fc' })]), 3);
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

  it('opens from bytes when the temporary folder cannot be written', async () => {
    process.env.TMPDIR = join(tmpdir(), 'convzoo-no-such-dir', 'deeper');
    expect(nodeRuntime.stage!(model, exportOptions)).toBeUndefined();
    const compiled = await ort({ device: 'cpu' }).compile(model);
    const [y] = await compiled.predict(x);
    await compiled.dispose();
    const err = Math.max(...y!.data.map((v, i) => Math.abs(v - want.data[i]!)));
    expect(err / maxAbs).toBeLessThan(1e-5);
  });
});
