/**
 * Streaming ModelProto encoder. The graph structure is encoded by onnx-proto; initializer data
 * is appended field by field (protobuf accepts fields in any order), so a 500 MB model is
 * written chunk by chunk and never needs a second full copy of its weights in memory.
 */
import { ConvzooError } from '@convzoo/core';
import { DataType, onnx, type IModelProto } from './proto.js';

/** One initializer whose little-endian bytes are produced on demand, in chunks. */
export interface InitializerSource {
  readonly name: string;
  /** A DataType (FLOAT, FLOAT16, INT8, UINT8, INT32, INT64): the bytes are its little-endian values. */
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly byteLength: number;
  /** Each chunk is valid only until the next one is requested (buffers are reused). */
  chunks(): Iterable<Uint8Array>;
}

/** Protobuf messages are limited to 2 GiB; past that, weights must go to external data. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

export interface EncodedModel {
  /** Total bytes of the .onnx file. */
  readonly size: number;
  chunks(): Iterable<Uint8Array>;
  /** With external data: the weights file, referenced by `location` from the model. */
  readonly data?: { readonly location: string; readonly size: number; chunks(): Iterable<Uint8Array> };
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** Tag + length prefix of a length-delimited field. */
function lengthPrefix(field: number, length: number): Uint8Array {
  const tag = varint(field * 8 + 2);
  const len = varint(length);
  const out = new Uint8Array(tag.length + len.length);
  out.set(tag);
  out.set(len, tag.length);
  return out;
}

const GRAPH_FIELD = 7; // ModelProto.graph
const INITIALIZER_FIELD = 5; // GraphProto.initializer
const RAW_DATA_FIELD = 9; // TensorProto.raw_data

interface InitializerRecord {
  readonly source: InitializerSource;
  /** Prefix + TensorProto without raw_data, then (in-file only) the raw_data prefix. */
  readonly head: Uint8Array;
  readonly inline: boolean;
}

/**
 * Lays out the file. `model.graph` must hold no initializers; they come from `initializers`.
 * With `externalData` every weight tensor's bytes (all but INT64 shape vectors) go to that file (named relative to the model).
 */
export function encodeModel(model: IModelProto, initializers: readonly InitializerSource[], externalData?: string): EncodedModel {
  let dataOffset = 0;
  const records: InitializerRecord[] = initializers.map((source) => {
    // Shape vectors (INT64) stay inline; weights, in any precision, go out.
    const external = externalData !== undefined && source.dataType !== DataType.INT64;
    const tensor = onnx.TensorProto.encode({
      name: source.name,
      dataType: source.dataType,
      dims: [...source.dims],
      ...(external
        ? {
            dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
            externalData: [
              { key: 'location', value: externalData },
              { key: 'offset', value: String(dataOffset) },
              { key: 'length', value: String(source.byteLength) },
            ],
          }
        : {}),
    }).finish();
    if (external) dataOffset += source.byteLength;
    const raw = external ? new Uint8Array(0) : lengthPrefix(RAW_DATA_FIELD, source.byteLength);
    const tensorSize = tensor.length + raw.length + (external ? 0 : source.byteLength);
    const prefix = lengthPrefix(INITIALIZER_FIELD, tensorSize);
    const head = new Uint8Array(prefix.length + tensor.length + raw.length);
    head.set(prefix);
    head.set(tensor, prefix.length);
    head.set(raw, prefix.length + tensor.length);
    return { source, head, inline: !external };
  });
  const { graph, ...rest } = model;
  const modelHead = onnx.ModelProto.encode(rest).finish();
  const graphHead = onnx.GraphProto.encode(graph ?? {}).finish();
  const graphSize = records.reduce((n, r) => n + r.head.length + (r.inline ? r.source.byteLength : 0), graphHead.length);
  const graphPrefix = lengthPrefix(GRAPH_FIELD, graphSize);
  const size = modelHead.length + graphPrefix.length + graphSize;
  const encoded: EncodedModel = {
    size,
    *chunks() {
      yield modelHead;
      yield graphPrefix;
      yield graphHead;
      for (const r of records) {
        yield r.head;
        if (r.inline) yield* checkedChunks(r.source);
      }
    },
  };
  if (externalData === undefined) return encoded;
  const externals = records.filter((r) => !r.inline).map((r) => r.source);
  return {
    ...encoded,
    data: {
      location: externalData,
      size: dataOffset,
      *chunks() {
        for (const s of externals) yield* checkedChunks(s);
      },
    },
  };
}

/** Guards the layout: a source must produce exactly the bytes it announced. */
function* checkedChunks(source: InitializerSource): Iterable<Uint8Array> {
  let n = 0;
  for (const c of source.chunks()) {
    n += c.length;
    yield c;
  }
  if (n !== source.byteLength) throw new Error(`initializer "${source.name}" produced ${n} bytes, announced ${source.byteLength}`);
}

/** Refuses a model file protobuf cannot hold (readers reject messages over 2 GiB). */
export function checkProtobufLimit(encoded: EncodedModel): void {
  if (encoded.size > PROTOBUF_LIMIT) {
    throw new ConvzooError(
      'UNSUPPORTED',
      `the ONNX model would be ${encoded.size} bytes, over protobuf's 2 GiB limit; write it with its weights as external data (exportOnnxFile)`,
    );
  }
}

/** Gathers chunks into one buffer of the announced size. */
export function concatChunks(size: number, chunks: Iterable<Uint8Array>): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  if (pos !== size) throw new Error(`encoder produced ${pos} bytes, announced ${size}`);
  return out;
}
