import { FileFormatError } from '../errors.js';
import { sizeOf, type TensorData } from '../tensor.js';

/** Largest JSON header accepted (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;
/** Largest single tensor accepted, in elements (4 GiB of float32). */
export const MAX_TENSOR_ELEMENTS = 2 ** 30;

const DTYPE_BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export type TensorMap = Map<string, TensorData>;

export interface Safetensors {
  readonly tensors: TensorMap;
  readonly metadata: Record<string, string>;
}

/**
 * Writes the Hugging Face safetensors layout: u64 little-endian header length, a JSON header
 * ({ name: { dtype, shape, data_offsets } } plus optional __metadata__) padded with spaces to
 * 8 bytes, then the raw little-endian data, tensors sorted by name.
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, TensorData>, metadata: Record<string, string> = {}): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    if (t.data.length !== sizeOf(t.shape)) {
      throw new FileFormatError(`tensor "${name}" has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    }
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  json += ' '.repeat(padded - headerBytes.length);
  headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/**
 * Reads a safetensors file, checking everything a hostile file could lie about before
 * allocating: header length against the file and MAX_HEADER_BYTES, dtype, shape x dtype size =
 * byte span, spans inside the data, not overlapping and covering it. F32 is read as is; F64
 * and F16 (and BF16) are converted to float32; integer dtypes are refused unless
 * `options.integers` asks for them as float32 too (torch files hold BatchNorm's int64
 * num_batches_tracked).
 */
export function decodeSafetensors(bytes: Uint8Array, file?: string, options: { readonly integers?: boolean } = {}): Safetensors {
  const fail = (msg: string): never => {
    throw new FileFormatError(msg, file);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for a safetensors header (8-byte length + JSON)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLen} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(headerLen);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header must be a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.values(raw).every((v) => typeof v === 'string')) {
        fail('__metadata__ must map strings to strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    if (typeof raw !== 'object' || raw === null) fail(`tensor "${name}": entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) fail(`tensor "${name}": unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`tensor "${name}": data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    if (elements > MAX_TENSOR_ELEMENTS) fail(`tensor "${name}": ${elements} elements exceeds the limit of ${MAX_TENSOR_ELEMENTS}`);
    if (end < begin || end > dataLen) fail(`tensor "${name}": data_offsets [${begin}, ${end}] outside the data section (${dataLen} bytes)`);
    const expected = elements * DTYPE_BYTES[dtype as string]!;
    if (end - begin !== expected) {
      fail(`tensor "${name}": shape [${(shape as number[]).join(', ')}] x ${dtype} needs ${expected} bytes, data_offsets span ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.begin < covered) fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap another tensor`);
    if (e.begin > covered) fail(`tensor "${e.name}": ${e.begin - covered} unused bytes before its data`);
    covered = e.end;
  }
  if (covered !== dataLen) fail(`data section is ${dataLen} bytes but tensors cover ${covered}`);

  const tensors: TensorMap = new Map();
  for (const e of entries) {
    if (!FLOAT_DTYPES.has(e.dtype) && options.integers !== true) {
      fail(`tensor "${e.name}": dtype ${e.dtype} is not supported (expected F32; F64, F16 and BF16 are converted)`);
    }
    tensors.set(e.name, { shape: e.shape, data: toFloat32(bytes, dataStart + e.begin, dataStart + e.end, e.dtype) });
  }
  return { tensors, metadata };
}

const FLOAT_DTYPES = new Set(['F32', 'F64', 'F16', 'BF16']);

/** Every dtype but F32 (copied as is), one little-endian element at a time. */
const READ: Readonly<Record<string, (v: DataView, at: number) => number>> = {
  F64: (v, at) => v.getFloat64(at, true),
  F16: (v, at) => halfToFloat(v.getUint16(at, true)),
  BF16: (v, at) => bfloat16ToFloat(v.getUint16(at, true)),
  I64: (v, at) => Number(v.getBigInt64(at, true)),
  I32: (v, at) => v.getInt32(at, true),
  I16: (v, at) => v.getInt16(at, true),
  I8: (v, at) => v.getInt8(at),
  U8: (v, at) => v.getUint8(at),
  BOOL: (v, at) => v.getUint8(at),
};

function toFloat32(bytes: Uint8Array, begin: number, end: number, dtype: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + begin, end - begin);
  if (dtype === 'F32') {
    // Copy through a fresh Uint8Array: the data may be unaligned, callers own their arrays,
    // and a Node Buffer's slice() would be a view into a shared pool.
    return new Float32Array(new Uint8Array(bytes.subarray(begin, end)).buffer);
  }
  const size = DTYPE_BYTES[dtype]!;
  const read = READ[dtype]!;
  const out = new Float32Array((end - begin) / size);
  for (let i = 0; i < out.length; i++) out[i] = read(view, i * size);
  return out;
}

/** IEEE 754 binary16 bits -> number (safetensors F16, torch HalfStorage). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** bfloat16 bits -> number: they are the top half of a float32's. */
export function bfloat16ToFloat(b: number): number {
  BF16_BITS[0] = b << 16;
  return BF16_VALUE[0]!;
}
const BF16_BITS = new Uint32Array(1);
const BF16_VALUE = new Float32Array(BF16_BITS.buffer);
