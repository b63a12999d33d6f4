import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, Model, maxRelDiff } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights } from '@convzoo/core/testing';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProtobufLimit, DataType, decodeOnnx, encodeModel, exportOnnx, PROTOBUF_LIMIT, type InitializerSource } from '@convzoo/onnx';
import { exportOnnxFile, importOnnxFile } from '@convzoo/onnx/node';

const dir = mkdtempSync(join(tmpdir(), 'convzoo-ort-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(): Model {
  const g = new GraphBuilder('files');
  let x = g.conv2d(g.input([8, 8, 3]), { filters: 6, kernelSize: 3, useBias: false, name: 'conv' });
  x = g.relu(g.batchNorm(x, { name: 'bn' }));
  return randomizeNonKernelWeights(Model.init(g.build([g.dense(g.flatten(x), { units: 5, name: 'fc' })]), 3), 3);
}

async function runFile(path: string, nchw: Float32Array): Promise<Float32Array> {
  const session = await InferenceSession.create(path);
  try {
    const out = await session.run({ input: new Tensor('float32', nchw, [2, 3, 8, 8]) });
    return out.fc!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('ONNX files', () => {
  it('a small model is one file, byte-identical to the in-memory export', () => {
    const m = model();
    const files = exportOnnxFile(m, join(dir, 'one.onnx'));
    expect(files).toEqual({ model: join(dir, 'one.onnx') });
    expect(readFileSync(files.model).equals(Buffer.from(exportOnnx(m)))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('one.onnx'))).toEqual(['one.onnx']);
  });

  it('external data: weights in <file>.data, loaded by onnxruntime from the path and by importOnnxFile', async () => {
    const m = model();
    const files = exportOnnxFile(m, join(dir, 'ext.onnx'), { externalData: true });
    expect(files.data).toBe(join(dir, 'ext.onnx.data'));
    // conv kernel 6*3*3*3 + folded bias 6 + fc kernel 216*5 + bias 5, as float32
    expect(statSync(files.data!).size).toBe((162 + 6 + 1080 + 5) * 4);
    const init = decodeOnnx(readFileSync(files.model), undefined, () => new Uint8Array(0)).graph.initializers;
    expect(init.size).toBe(4);
    const x = randomInput([2, 3, 8, 8], 4).data;
    const inline = exportOnnxFile(m, join(dir, 'inline.onnx'), { externalData: false });
    expect(maxRelDiff(await runFile(files.model, x), await runFile(inline.model, x))).toBe(0);
    const back = importOnnxFile(files.model);
    expect(back.weight('fc', 'kernel').data).toEqual(importOnnxFile(inline.model).weight('fc', 'kernel').data);
  });

  it('past protobuf\'s 2 GiB limit the in-file layout is refused with a pointer to external data', () => {
    // Layout only: the source announces 2 GiB but is never read.
    const huge: InitializerSource = { name: 'w', dataType: DataType.FLOAT, dims: [2 ** 29], byteLength: 2 ** 31, chunks: () => [] };
    const inline = encodeModel({ irVersion: 8, graph: { name: 'g' } }, [huge]);
    expect(inline.size).toBeGreaterThan(PROTOBUF_LIMIT);
    expect(() => checkProtobufLimit(inline)).toThrow(/over protobuf's 2 GiB limit; write it with its weights as external data \(exportOnnxFile\)/);
    const external = encodeModel({ irVersion: 8, graph: { name: 'g' } }, [huge], 'm.onnx.data');
    expect(external.size).toBeLessThan(200);
    expect(external.data!.size).toBe(2 ** 31);
    expect(() => checkProtobufLimit(external)).not.toThrow();
  });

  it('re-exporting over an existing file replaces it whole', () => {
    const path = join(dir, 'again.onnx');
    exportOnnxFile(model(), path);
    const g = new GraphBuilder('other');
    exportOnnxFile(Model.init(g.build([g.relu(g.input([2]))])), path);
    expect(importOnnxFile(path).name).toBe('other');
    expect(existsSync(`${path}.data`)).toBe(false);
  });
});
