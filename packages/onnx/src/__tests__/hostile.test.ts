import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConvzooError, GraphBuilder, isConvzooError, Model, rng } from '@convzoo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx } from '../index.js';
import { exportOnnxFile, importOnnxFile } from '../node.js';
import { encodeModel } from '../proto/encode.js';
import { DataType, onnx, type IModelProto, type INodeProto, type ITensorProto } from '../proto/proto.js';
import { floatInitializer, vectorRows } from '../initializers.js';

const dir = mkdtempSync(join(tmpdir(), 'convzoo-ort-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function small(): Uint8Array {
  const g = new GraphBuilder('small');
  const x = g.conv2d(g.input([6, 6, 2]), { filters: 3, kernelSize: 3, name: 'conv' });
  return exportOnnx(Model.init(g.build([g.dense(g.flatten(x), { units: 4, name: 'fc' })]), 0));
}

/** A model on a 1x4x4 input "x" with these nodes, graph outputs and initializers. */
function onnxModel(nodes: readonly INodeProto[], outputs: readonly string[], initializers: readonly ITensorProto[]): Uint8Array {
  const proto: IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [...nodes],
      input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 4 }, { dimValue: 4 }] } } } }],
      output: outputs.map((name) => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } })),
      initializer: [...initializers],
    },
  };
  return onnx.ModelProto.encode(proto).finish();
}

/** A one-Conv model whose weight initializer is whatever the test says. */
function convModel(weight: ITensorProto | undefined, extraInputs: readonly string[] = [], attribute: INodeProto['attribute'] = []): Uint8Array {
  return onnxModel([{ name: 'conv', opType: 'Conv', input: ['x', 'w', ...extraInputs], output: ['y'], attribute }], ['y'], weight ? [weight] : []);
}

/** A 1x1x1x1 FLOAT (or `dataType`) weight "w" whose data is in the external file `location`. */
function externalWeight(location: string, length: number, dims: readonly number[] = [1, 1, 1, 1], dataType: number = DataType.FLOAT): ITensorProto {
  return {
    name: 'w', dataType, dims: [...dims], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [{ key: 'location', value: location }, { key: 'offset', value: '0' }, { key: 'length', value: String(length) }],
  };
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

  it('a graph input without an element type, or of another type, says which', () => {
    const withInputType = (elemType: number) => {
      const proto = onnx.ModelProto.decode(onnxModel([{ name: 'r', opType: 'Relu', input: ['x'], output: ['y'] }], ['y'], []));
      proto.graph!.input![0]!.type!.tensorType!.elemType = elemType;
      return onnx.ModelProto.encode(proto).finish();
    };
    expectConvzooError(() => importOnnx(withInputType(0)), /^input "x" must be float32, but it declares no element type$/, 'UNSUPPORTED');
    expectConvzooError(() => importOnnx(withInputType(DataType.INT64)), /^input "x" must be float32, but it is INT64$/, 'UNSUPPORTED');
  });

  it('an unsupported operator names the node and the operator', () => {
    const proto = onnx.ModelProto.decode(small());
    proto.graph!.node![0]!.opType = 'NonMaxSuppression';
    expectConvzooError(() => importOnnx(onnx.ModelProto.encode(proto).finish()), /node "conv": \(ONNX NonMaxSuppression\) operator NonMaxSuppression is not supported; convzoo imports Add, AveragePool, BatchNormalization, /, 'UNSUPPORTED');
  });

  it('external data outside the model folder, missing, or too short', () => {
    const file = join(dir, 'ext.onnx');
    writeFileSync(file, convModel(externalWeight('../../etc/passwd', 4)));
    expectConvzooError(() => importOnnxFile(file), /ext\.onnx: external data location "..\/..\/etc\/passwd" must be a path inside the model's folder/, 'FILE_INVALID');
    writeFileSync(file, convModel(externalWeight('missing.bin', 4)));
    expectConvzooError(() => importOnnxFile(file), /external data file "missing.bin" cannot be opened/);
    writeFileSync(join(dir, 'short.bin'), new Uint8Array(2));
    writeFileSync(file, convModel(externalWeight('short.bin', 4)));
    expectConvzooError(() => importOnnxFile(file), /external data \[0, 4\) runs past the end of "short.bin" \(2 bytes\)/);
    // From bytes there is no folder to read external data from: say so.
    expectConvzooError(() => importOnnx(convModel(externalWeight('short.bin', 4))), /its data is in the external file "short.bin"; import the model from its file/);
  });

  it('a missing file or a folder', () => {
    expectConvzooError(() => importOnnxFile(join(dir, 'nope.onnx')), /nope\.onnx: no such file/, 'FILE_INVALID');
    expectConvzooError(() => importOnnxFile(dir), /is a directory/, 'FILE_INVALID');
  });
});

describe('hostile external data: symlinks, special files, huge spans', () => {
  /** A fresh model folder holding a one-Conv model whose weight is external data at `location`. */
  function modelFolder(location: string, weight: ITensorProto = externalWeight(location, 4)): { folder: string; file: string } {
    const folder = mkdtempSync(join(dir, 'model-'));
    const file = join(folder, 'model.onnx');
    writeFileSync(file, convModel(weight));
    return { folder, file };
  }

  it('a symlink (to a file or a folder) leading out of the model folder is refused', () => {
    const secret = join(dir, 'secret.bin');
    writeFileSync(secret, new Uint8Array([1, 2, 3, 4]));
    const linked = modelFolder('link.bin');
    symlinkSync(secret, join(linked.folder, 'link.bin'));
    expectConvzooError(() => importOnnxFile(linked.file), /model\.onnx: external data location "link.bin" leads to .*secret\.bin, outside the model's folder /, 'FILE_INVALID');
    const viaFolder = modelFolder('up/secret.bin');
    symlinkSync(dir, join(viaFolder.folder, 'up'));
    expectConvzooError(() => importOnnxFile(viaFolder.file), /external data location "up\/secret.bin" leads to .*secret\.bin, outside the model's folder /, 'FILE_INVALID');
  });

  it('a symlink that stays inside the model folder still works', () => {
    const { folder, file } = modelFolder('link.bin');
    writeFileSync(join(folder, 'w.bin'), new Uint8Array(new Float32Array([0.5]).buffer));
    symlinkSync('w.bin', join(folder, 'link.bin'));
    expect(importOnnxFile(file).weight('y', 'kernel').data).toEqual(new Float32Array([0.5]));
  });

  it('a FIFO or a folder as location is refused without blocking or reading', () => {
    const fifo = modelFolder('pipe.bin');
    execFileSync('mkfifo', [join(fifo.folder, 'pipe.bin')]);
    expectConvzooError(() => importOnnxFile(fifo.file), /external data location "pipe.bin" is not a regular file; external data must be a regular file beside the model/, 'FILE_INVALID');
    const folder = modelFolder('sub');
    mkdirSync(join(folder.folder, 'sub'));
    expectConvzooError(() => importOnnxFile(folder.file), /external data location "sub" is not a regular file/, 'FILE_INVALID');
  });

  it('a span past the limit for one tensor is refused before anything is allocated', () => {
    // 2^29 + 1 doubles: 4 GiB + 8 bytes, in a sparse file that really holds them.
    const count = 2 ** 29 + 1;
    const { folder, file } = modelFolder('big.bin', externalWeight('big.bin', count * 8, [count, 1, 1, 1], DataType.DOUBLE));
    const fd = openSync(join(folder, 'big.bin'), 'w');
    ftruncateSync(fd, count * 8 + 16);
    closeSync(fd);
    expectConvzooError(() => importOnnxFile(file), /external data \[0, 4294967304\) of "big.bin" is 4294967304 bytes, over the limit of 4294967296 for one tensor/, 'FILE_INVALID');
  });
});

describe('graph outputs and weights that import but should not pass silently', () => {
  const weight = (data: number[]): ITensorProto => ({ name: 'w', dataType: DataType.FLOAT, dims: [1, 1, 1, 1], floatData: data });
  const conv: INodeProto = { name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['y'] };

  it('a graph output listed twice is refused, naming it', () => {
    expectConvzooError(() => importOnnx(onnxModel([conv], ['y', 'y'], [weight([1])])), /graph output "y" is listed twice \(output names must be unique\)/, 'FILE_INVALID');
  });

  it('a second output naming the same tensor (through an Identity) is imported under its own name', () => {
    const identity: INodeProto = { name: 'id', opType: 'Identity', input: ['y'], output: ['z'] };
    const model = importOnnx(onnxModel([conv, identity], ['y', 'z'], [weight([2])]));
    expect(model.graph.outputs).toEqual(['y', 'z']);
    expect(model.shapeOf('z')).toEqual(model.shapeOf('y'));
    const back = onnx.ModelProto.decode(exportOnnx(model));
    expect(back.graph!.output!.map((o) => o.name)).toEqual(['y', 'z']);
    // The Identity comes back as the same linear Activation: a re-export is still a fixed point.
    expect(exportOnnx(importOnnx(exportOnnx(model)))).toEqual(exportOnnx(model));
  });

  it('a second output of a node that something reads is refused, naming it', () => {
    const pool: INodeProto = { name: 'pool', opType: 'MaxPool', input: ['y'], output: ['p', 'idx'], attribute: [{ name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [2, 2] }] };
    expectConvzooError(() => importOnnx(onnxModel([conv, pool], ['p', 'idx'], [weight([1])])), /node "pool": \(ONNX MaxPool\) output 1 \("idx"\) is not supported; convzoo imports only a node's first output/, 'UNSUPPORTED');
  });

  it('NaN or infinite weights are reported through onWarning, naming the weight (and the file)', () => {
    const warnings: string[] = [];
    importOnnx(onnxModel([conv], ['y'], [weight([Number.NaN])]), { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual(['weight "y/kernel" [1, 1, 1, 1] holds 1 NaN or infinite value(s) (the first at flat index 0); outputs that depend on it will not be numbers']);
    const file = join(dir, 'inf.onnx');
    const bias = { name: 'b', dataType: DataType.FLOAT, dims: [1], floatData: [Number.POSITIVE_INFINITY] };
    writeFileSync(file, onnxModel([{ ...conv, input: ['x', 'w', 'b'] }], ['y'], [weight([1]), bias]));
    const fromFile: string[] = [];
    importOnnxFile(file, { onWarning: (m) => fromFile.push(m) });
    expect(fromFile).toEqual([`${file}: weight "y/bias" [1] holds 1 NaN or infinite value(s) (the first at flat index 0); outputs that depend on it will not be numbers`]);
    const clean: string[] = [];
    importOnnx(onnxModel([conv], ['y'], [weight([1])]), { onWarning: (m) => clean.push(m) });
    expect(clean).toEqual([]);
  });
});

describe('activation sizes are checked at import', () => {
  it('a Conv with pads of 60,000 is refused by the graph\'s activation limit', () => {
    const pads = { name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [60000, 60000, 60000, 60000] };
    const bytes = convModel({ name: 'w', dataType: DataType.FLOAT, dims: [1, 1, 1, 1], floatData: [1] }, [], [pads]);
    expectConvzooError(() => importOnnx(bytes), /^node "y": \(Conv2D\) output \[120004, 120004, 1\] holds 14,400,960,016 elements per sample; the limit is 268,435,456$/, 'SHAPE_INVALID');
    const file = join(dir, 'pads.onnx');
    writeFileSync(file, bytes);
    expectConvzooError(() => importOnnxFile(file), /pads\.onnx: node "y": \(Conv2D\) output \[120004, 120004, 1\] holds 14,400,960,016 elements/, 'SHAPE_INVALID');
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
