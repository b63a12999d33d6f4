/**
 * Reads ONNX bytes into a plain, checked form. Nothing is trusted: decoding errors, missing
 * parts and lying tensor sizes become FileFormatErrors, and tensor data is converted only when
 * asked for, after its claimed size has been checked against the bytes really there.
 */
import { FileFormatError, MAX_GRAPH_NODES, MAX_TENSOR_ELEMENTS } from '@convzoo/core';
import { halfValue } from '../precision/half.js';
import { AttrType, DataType, int, onnx, type IAttributeProto, type IValueInfoProto, type ModelProto, type TensorProto } from './proto.js';

export type AttrValue = number | string | readonly number[] | OnnxTensor;

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttrValue>;
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: number;
  /** Static sizes as numbers; symbolic or unknown ones as their name ('' when unnamed). */
  readonly dims: readonly (number | string)[];
}

export interface OnnxTensor {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** The values as float32 (FLOAT, FLOAT16, DOUBLE) or numbers (INT8, UINT8, INT32, INT64, BOOL); checked, converted on each call. */
  floats(): Float32Array;
  ints(): number[];
}

export interface OnnxModel {
  readonly irVersion: number;
  /** Domain ('' for ai.onnx) -> opset version. */
  readonly opsets: ReadonlyMap<string, number>;
  readonly producer: string;
  readonly graph: {
    readonly name: string;
    readonly nodes: readonly OnnxNode[];
    readonly inputs: readonly OnnxValueInfo[];
    readonly outputs: readonly OnnxValueInfo[];
    readonly initializers: ReadonlyMap<string, OnnxTensor>;
  };
}

/** Reads an external data span (offset, length) of `location`, relative to the model file. */
export type ExternalDataReader = (location: string, offset: number, length: number | undefined) => Uint8Array;

const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4, [DataType.FLOAT16]: 2, [DataType.DOUBLE]: 8,
  [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.INT32]: 4, [DataType.INT64]: 8, [DataType.BOOL]: 1,
};
const FLOAT_TYPES: readonly number[] = [DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE];
const INT_TYPES: readonly number[] = [DataType.INT8, DataType.UINT8, DataType.INT32, DataType.INT64, DataType.BOOL];
const TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(DataType).map(([k, v]) => [v as number, k]),
);

/**
 * Bytes in a buffer of their own: external data already is; a view into the file is copied
 * (it may be unaligned, and callers own the arrays they get).
 */
function owned(raw: Uint8Array): Uint8Array {
  return raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw : raw.slice();
}

function tensor(t: TensorProto, file: string | undefined, external: ExternalDataReader | undefined): OnnxTensor {
  const name = t.name || '(unnamed)';
  const fail = (msg: string): never => {
    throw new FileFormatError(`tensor "${name}": ${msg}`, file);
  };
  const dims = t.dims.map(int);
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`dimension ${d} is not a valid size`);
    count *= d;
  }
  if (count > MAX_TENSOR_ELEMENTS) fail(`dims [${dims.join(', ')}] claim ${count} elements, over the limit of ${MAX_TENSOR_ELEMENTS}`);
  const size = ELEMENT_BYTES[t.dataType];
  /** The raw little-endian bytes, or undefined when the values sit in a typed field. */
  const rawBytes = (): Uint8Array | undefined => {
    if (size === undefined) fail(`data type ${TYPE_NAMES[t.dataType] ?? t.dataType} is not supported (expected FLOAT, FLOAT16, DOUBLE, INT8, UINT8, INT32, INT64 or BOOL)`);
    let raw: Uint8Array | undefined;
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      const info = new Map(t.externalData.map((e) => [e.key, e.value]));
      const location = info.get('location');
      if (!location) fail('external data without a "location"');
      if (external === undefined) fail(`its data is in the external file "${location}"; import the model from its file (importOnnxFile) so the file can be found`);
      const offset = Number(info.get('offset') ?? 0);
      const length = info.has('length') ? Number(info.get('length')) : undefined;
      if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
        fail(`external data offset/length ${info.get('offset')}/${info.get('length')} are not valid sizes`);
      }
      if (length !== undefined && length !== count * size!) fail(`external data length ${length} does not match dims [${dims.join(', ')}] (${count * size!} bytes)`);
      raw = external!(location!, offset, count * size!);
    } else if (t.rawData.length > 0 || count === 0) {
      raw = t.rawData;
    }
    if (raw !== undefined && raw.length !== count * size!) {
      fail(`holds ${raw.length} bytes but dims [${dims.join(', ')}] of ${TYPE_NAMES[t.dataType]} need ${count * size!}`);
    }
    return raw;
  };
  const typed = (values: ArrayLike<unknown>, field: string): void => {
    if (values.length !== count) fail(`${field} holds ${values.length} values but dims [${dims.join(', ')}] need ${count}`);
  };
  return {
    name,
    dataType: t.dataType,
    dims,
    floats() {
      if (!FLOAT_TYPES.includes(t.dataType)) fail(`expected a float tensor, got ${TYPE_NAMES[t.dataType] ?? t.dataType}`);
      const raw = rawBytes();
      if (raw === undefined) {
        // FLOAT16 values sit in int32_data as their bit patterns.
        const [values, field] = t.dataType === DataType.FLOAT ? [t.floatData, 'float_data'] : t.dataType === DataType.DOUBLE ? [t.doubleData, 'double_data'] : [t.int32Data, 'int32_data'];
        typed(values, field);
        return t.dataType === DataType.FLOAT16 ? Float32Array.from(values, halfValue) : Float32Array.from(values);
      }
      if (t.dataType === DataType.FLOAT) return new Float32Array(owned(raw).buffer);
      if (t.dataType === DataType.FLOAT16) return Float32Array.from(new Uint16Array(owned(raw).buffer), halfValue);
      return Float32Array.from(new Float64Array(owned(raw).buffer));
    },
    ints() {
      if (!INT_TYPES.includes(t.dataType)) fail(`expected an integer tensor, got ${TYPE_NAMES[t.dataType] ?? t.dataType}`);
      const raw = rawBytes();
      if (raw === undefined) {
        // BOOL, INT8 and UINT8 values sit in int32_data, like INT32's.
        const values = t.dataType === DataType.INT64 ? t.int64Data.map(int) : t.int32Data;
        typed(values, t.dataType === DataType.INT64 ? 'int64_data' : 'int32_data');
        return values;
      }
      if (t.dataType === DataType.BOOL || t.dataType === DataType.UINT8) return Array.from(raw);
      if (t.dataType === DataType.INT8) return Array.from(new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength));
      if (t.dataType === DataType.INT32) return Array.from(new Int32Array(owned(raw).buffer));
      return Array.from(new BigInt64Array(owned(raw).buffer), (v) => Number(v));
    },
  };
}

function valueInfo(v: IValueInfoProto): OnnxValueInfo {
  const tt = v.type?.tensorType;
  return {
    name: v.name ?? '',
    elemType: tt?.elemType ?? 0,
    dims: (tt?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && !d.dimParam ? int(d.dimValue) : d.dimParam ?? '')),
  };
}

function attrValue(a: IAttributeProto, file: string | undefined, external: ExternalDataReader | undefined): AttrValue | undefined {
  switch (a.type) {
    case AttrType.INT: return int(a.i);
    case AttrType.FLOAT: return a.f ?? 0;
    case AttrType.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array(0));
    case AttrType.INTS: return (a.ints ?? []).map(int);
    case AttrType.FLOATS: return a.floats ?? [];
    case AttrType.TENSOR: return a.t ? tensor(a.t as TensorProto, file, external) : undefined;
    default: return undefined; // graphs, sparse tensors, types: no supported op uses them
  }
}

/** Decodes and checks an ONNX ModelProto. `external` resolves external tensor data. */
export function decodeOnnx(bytes: Uint8Array, file?: string, external?: ExternalDataReader): OnnxModel {
  let m: ModelProto;
  try {
    // A plain view: protobufjs treats Node Buffers differently, and the bytes are not copied.
    m = onnx.ModelProto.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new FileFormatError(`not a valid ONNX model (protobuf decoding failed: ${(e as Error).message})`, file);
  }
  const g = m.graph;
  if (int(m.irVersion) < 3 || !g || m.opsetImport.length === 0) {
    throw new FileFormatError(
      `not a valid ONNX model (${!g ? 'no graph' : m.opsetImport.length === 0 ? 'no opset_import' : `ir_version ${int(m.irVersion)}`})`,
      file,
    );
  }
  const gNodes = g.node ?? [];
  if (gNodes.length > MAX_GRAPH_NODES) throw new FileFormatError(`${gNodes.length} nodes exceeds the limit of ${MAX_GRAPH_NODES}`, file);
  const nodes: OnnxNode[] = gNodes.map((n) => {
    const attrs = new Map<string, AttrValue>();
    for (const a of n.attribute ?? []) {
      const v = attrValue(a, file, external);
      if (a.name && v !== undefined) attrs.set(a.name, v);
    }
    return { name: n.name ?? '', opType: n.opType ?? '', domain: n.domain ?? '', inputs: n.input ?? [], outputs: n.output ?? [], attrs };
  });
  return {
    irVersion: int(m.irVersion),
    opsets: new Map(m.opsetImport.map((o) => [o.domain === 'ai.onnx' ? '' : o.domain ?? '', int(o.version)])),
    producer: m.producerName ?? '',
    graph: {
      name: g.name ?? '',
      nodes,
      inputs: (g.input ?? []).map(valueInfo),
      outputs: (g.output ?? []).map(valueInfo),
      initializers: new Map((g.initializer ?? []).map((t) => [t.name ?? '', tensor(t as TensorProto, file, external)])),
    },
  };
}
