import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConvzooError, GraphBuilder, isConvzooError, Model, rng } from '@convzoo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx } from '../index.js';
import { exportOnnxFile, importOnnxFile } from '../node.js';
import { encodeModel } from '../proto/encode.js';
import { DataType, onnx, type IModelProto, type ITensorProto } from '../proto/proto.js';
import { floatInitializer, vectorRows } from '../initializers.js';

const dir = mkdtempSync(join(tmpdir(), 'convzoo-ort-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function small(): Uint8Array {
  const g = new GraphBuilder('small');
  const x = g.conv2d(g.input([6, 6, 2]), { filters: 3, kernelSize: 3, name: 'conv' });
  return exportOnnx(Model.init(g.build([g.dense(g.flatten(x), { units: 4, name: 'fc' })]), 0));
}

/** A one-Conv model whose weight initializer is whatever the test says. */
function convModel(weight: ITensorProto | undefined, extraInputs: readonly string[] = []): Uint8Array {
  const proto: IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [{ name: 'conv', opType: 'Conv', input: ['x', 'w', ...extraInputs], output: ['y'] }],
      input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 4 }, { dimValue: 4 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: DataType.FLOAT } } }],
      initializer: weight ? [weight] : [],
    },
  };
  return onnx.ModelProto.encode(proto).finish();
}

/** Runs fn; it must throw a ConvzooError (never another error, never succeed) whose message matches. */
function expectConvzooError(fn: () => unknown, message: RegExp, code?: ConvzooError['code']): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isConvzooError(error), `expected a ConvzooError, got ${String(error)}`).toBe(true);
  expect((error as Error).message).toMatch(message);
  if (code) expect((error as ConvzooError).code).toBe(code);
}

describe('hostile ONNX input gives a clear ConvzooError, never a crash or a huge allocation', () => {
  it('random bytes', () => {
    for (let seed = 0; seed < 50; seed++) {
      const next = rng(seed, 'random-bytes');
      const bytes = Uint8Array.from({ length: 1 + Math.floor(next() * 4000) }, () => Math.floor(next() * 256));
      expectConvzooError(() => importOnnx(bytes), /not a valid ONNX model/, 'FILE_INVALID');
    }
  });

  it('every truncation of a valid file', () => {
    const bytes = small();
    for (let n = 0; n < bytes.length; n += 7) expectConvzooError(() => importOnnx(bytes.subarray(0, n)), /./);
  });

  it('random corruption of a valid file: a ConvzooError or a valid model, nothing else', () => {
    const bytes = small();
    let failures = 0;
    for (let seed = 0; seed < Number(process.env.CONVZOO_FUZZ_RUNS ?? 300); seed++) {
      const next = rng(seed, 'corrupt');
      const copy = bytes.slice();
      for (let k = 0; k < 1 + Math.floor(next() * 4); k++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
      try {
        importOnnx(copy);
      } catch (e) {
        failures++;
        expect(isConvzooError(e), `seed ${seed}: ${String(e)}`).toBe(true);
      }
    }
    expect(failures).toBeGreaterThan(0);
  });

  it('subgraphs nested 100,000 deep (exhausting the decoder\'s stack)', () => {
    // Graph{node: Node{attribute: Attribute{g: Graph{...}}}}, built outside in: prefixes only.
    const varint = (n: number) => { const b: number[] = []; for (; n >= 0x80; n = Math.floor(n / 0x80)) b.push((n % 0x80) | 0x80); b.push(n); return b; };
    const prefixes: number[][] = [];
    let size = 0;
    for (let depth = 0; depth < 100_000; depth++) {
      for (const field of [6, 5, 1]) { // Attribute.g, Node.attribute, Graph.node
        const p = [(field << 3) | 2, ...varint(size)];
        prefixes.push(p);
        size += p.length;
      }
    }
    const head = [8, 8, (7 << 3) | 2, ...varint(size)]; // ir_version 8, ModelProto.graph
    const bytes = Uint8Array.from([...head, ...prefixes.reverse().flat()]);
    expectConvzooError(() => importOnnx(bytes), /not a valid ONNX model \(protobuf decoding failed/, 'FILE_INVALID');
  });

  it('a node reading an initializer that does not exist', () => {
    expectConvzooError(() => importOnnx(convModel(undefined)), /node "conv": \(ONNX Conv\) input "w" is not produced by any node, initializer or graph input/, 'GRAPH_INVALID');
  });

  it('a tensor claiming 2^31 x 2^31 elements (nothing is allocated)', () => {
    const weight = { name: 'w', dataType: DataType.FLOAT, dims: [2 ** 31, 2 ** 31, 1, 1], rawData: new Uint8Array(16) };
    expectConvzooError(() => importOnnx(convModel(weight)), /tensor "w": dims \[2147483648, 2147483648, 1, 1\] claim .* elements, over the limit/, 'FILE_INVALID');
  });

  it('a tensor claiming more bytes than it holds', () => {
    const weight = { name: 'w', dataType: DataType.FLOAT, dims: [8, 1, 3, 3], rawData: new Uint8Array(12) };
    expectConvzooError(() => importOnnx(convModel(weight)), /tensor "w": holds 12 bytes but dims \[8, 1, 3, 3\] of FLOAT need 288/, 'FILE_INVALID');
    const typed = { name: 'w', dataType: DataType.FLOAT, dims: [8, 1, 3, 3], floatData: [1, 2, 3] };
    expectConvzooError(() => importOnnx(convModel(typed)), /tensor "w": float_data holds 3 values but dims \[8, 1, 3, 3\] need 72/);
  });

  it('a graph input claiming a huge map', () => {
    const proto = onnx.ModelProto.decode(convModel({ name: 'w', dataType: DataType.FLOAT, dims: [1, 1, 1, 1], floatData: [1] }));
    proto.graph!.input![0]!.type!.tensorType!.shape!.dim = [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 2 ** 20 }, { dimValue: 2 ** 20 }];
    expectConvzooError(() => importOnnx(onnx.ModelProto.encode(proto).finish()), /input "x" claims 1099511627776 values per sample, over the limit/, 'UNSUPPORTED');
  });

  it('an unsupported operator names the node and the operator', () => {
    const proto = onnx.ModelProto.decode(small());
    proto.graph!.node![0]!.opType = 'NonMaxSuppression';
    expectConvzooError(() => importOnnx(onnx.ModelProto.encode(proto).finish()), /node "conv": \(ONNX NonMaxSuppression\) operator NonMaxSuppression is not supported; convzoo imports Add, AveragePool, BatchNormalization, /, 'UNSUPPORTED');
  });

  it('external data outside the model folder, missing, or too short', () => {
    const external = (location: string, length: number) => ({
      name: 'w', dataType: DataType.FLOAT, dims: [1, 1, 1, 1], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: String(length) }],
    });
    const file = join(dir, 'ext.onnx');
    writeFileSync(file, convModel(external('../../etc/passwd', 4)));
    expectConvzooError(() => importOnnxFile(file), /ext\.onnx: external data location "..\/..\/etc\/passwd" must be a path inside the model's folder/, 'FILE_INVALID');
    writeFileSync(file, convModel(external('missing.bin', 4)));
    expectConvzooError(() => importOnnxFile(file), /external data file "missing.bin" cannot be opened/);
    writeFileSync(join(dir, 'short.bin'), new Uint8Array(2));
    writeFileSync(file, convModel(external('short.bin', 4)));
    expectConvzooError(() => importOnnxFile(file), /external data \[0, 4\) runs past the end of "short.bin" \(2 bytes\)/);
    // From bytes there is no folder to read external data from: say so.
    expectConvzooError(() => importOnnx(convModel(external('short.bin', 4))), /its data is in the external file "short.bin"; import the model from its file/);
  });

  it('a missing file or a folder', () => {
    expectConvzooError(() => importOnnxFile(join(dir, 'nope.onnx')), /nope\.onnx: no such file/, 'FILE_INVALID');
    expectConvzooError(() => importOnnxFile(dir), /is a directory/, 'FILE_INVALID');
  });
});

describe('a failed export leaves nothing behind', () => {
  it('an unwritable target fails with a FileFormatError and no temp file', () => {
    const g = new GraphBuilder('tiny');
    const model = Model.init(g.build([g.relu(g.input([3]))]));
    const target = join(dir, 'no-such-folder', 'model.onnx');
    expectConvzooError(() => exportOnnxFile(model, target), /cannot write/, 'FILE_INVALID');
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('a stream that fails midway removes its temp file and keeps the old file', async () => {
    const { writeFileAtomic } = await import('@convzoo/core/node');
    const path = join(dir, 'keep.onnx');
    writeFileSync(path, 'old');
    const failing = floatInitializer('w', [2], { rows: 1, rowLength: 2, fill: () => { throw new Error('disk gone'); } });
    const encoded = encodeModel({ irVersion: 8, graph: { name: 'g' } }, [failing, floatInitializer('b', [1], vectorRows([1]))]);
    expect(() => writeFileAtomic(path, encoded.chunks())).toThrow(/disk gone/);
    expect(readdirSync(dir).filter((f) => f.includes('keep.onnx'))).toEqual(['keep.onnx']);
  });
});
