import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, FileFormatError, MAX_HEADER_BYTES, type TensorMap } from '../index.js';

// Written from the format spec, independently of convzoo, by:
//   h = json.dumps(header, separators=(',', ':')).encode(); h += b' ' * ((8 - len(h) % 8) % 8)
//   struct.pack('<Q', len(h)) + h + struct.pack('<3f', 1.0, -2.0, 0.5)
// i.e. 8-byte LE header length 144, compact JSON header padded with spaces, then the data.
const KNOWN_GOOD_HEX =
  '9000000000000000' +
  '7b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c2261223a7b226474797065223a22463332222c227368617065223a5b325d2c22646174615f6f666673657473223a5b302c385d7d2c2262223a7b226474797065223a22463332222c227368617065223a5b312c315d2c22646174615f6f666673657473223a5b382c31325d7d7d202020' +
  '0000803f000000c00000003f';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const sample = (): TensorMap => new Map([
  ['b', { shape: [1, 1], data: Float32Array.of(0.5) }],
  ['a', { shape: [2], data: Float32Array.of(1, -2) }],
]);

/** Builds a file from a raw header object and data bytes, for malformed-file cases. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): Uint8Array {
  const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors', () => {
  it('writes exactly the reference layout (known-good byte vector)', () => {
    expect(toHex(encodeSafetensors(sample(), { format: 'pt' }))).toBe(KNOWN_GOOD_HEX);
  });

  it('reads the known-good byte vector', () => {
    const { tensors, metadata } = decodeSafetensors(hex(KNOWN_GOOD_HEX));
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('a')).toEqual({ shape: [2], data: Float32Array.of(1, -2) });
    expect(tensors.get('b')).toEqual({ shape: [1, 1], data: Float32Array.of(0.5) });
  });

  it('reads from a Node Buffer that is a view into a shared pool', () => {
    const pooled = Buffer.from(KNOWN_GOOD_HEX, 'hex'); // small Buffers share one ArrayBuffer
    expect(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.length).toBe(true);
    expect(decodeSafetensors(pooled).tensors.get('a')!.data).toEqual(Float32Array.of(1, -2));
  });

  it('round-trips many tensors, including empty ones', () => {
    const m: TensorMap = new Map([
      ['conv1/kernel', { shape: [3, 3, 2, 4], data: Float32Array.from({ length: 72 }, (_, i) => i / 7) }],
      ['empty', { shape: [0, 5], data: new Float32Array(0) }],
      ['bn/gamma', { shape: [4], data: Float32Array.of(1, 2, 3, 4) }],
    ]);
    const back = decodeSafetensors(encodeSafetensors(m)).tensors;
    expect([...back.keys()].sort()).toEqual([...m.keys()].sort());
    for (const [k, v] of m) expect(back.get(k)).toEqual(v);
  });

  it('converts F64 and F16 to float32', () => {
    const f64 = new Uint8Array(new Float64Array([1.5, -3]).buffer);
    expect(decodeSafetensors(file({ x: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } }, f64)).tensors.get('x')!.data).toEqual(Float32Array.of(1.5, -3));
    const f16 = Uint8Array.of(0x00, 0x3c, 0x00, 0xc0); // 1.0, -2.0
    expect(decodeSafetensors(file({ x: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, f16)).tensors.get('x')!.data).toEqual(Float32Array.of(1, -2));
  });

  const f32x2 = new Uint8Array(8);
  it.each<[string, Uint8Array, string]>([
    ['a too-short file', Uint8Array.of(1, 2, 3), 'm.st: file is 3 bytes, too short for a safetensors header'],
    ['a header length over the limit', file({}, new Uint8Array(0), BigInt(MAX_HEADER_BYTES) + 1n), `header length ${MAX_HEADER_BYTES + 1} exceeds the limit of ${MAX_HEADER_BYTES} bytes`],
    ['a header length past the end', file({}, new Uint8Array(0), 5000n), 'header length 5000 runs past the end of the file'],
    ['a lying 2^63 header length', file({}, new Uint8Array(0), 2n ** 63n), 'exceeds the limit'],
    ['a header that is not JSON', file('{"a":'), 'header is not valid UTF-8 JSON'],
    ['a header that is an array', file([]), 'header must be a JSON object'],
    ['an unknown dtype', file({ x: { dtype: 'F128', shape: [2], data_offsets: [0, 8] } }, f32x2), 'tensor "x": unknown dtype "F128"'],
    ['an unsupported dtype', file({ x: { dtype: 'I32', shape: [2], data_offsets: [0, 8] } }, f32x2), 'tensor "x": dtype I32 is not supported (expected F32'],
    ['a negative dimension', file({ x: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, f32x2), 'tensor "x": shape must be an array of non-negative integers'],
    ['shape x dtype != span', file({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32x2), 'tensor "x": shape [3] x F32 needs 12 bytes, data_offsets span 8'],
    ['a span outside the data', file({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32x2), 'tensor "x": data_offsets [0, 16] outside the data section (8 bytes)'],
    ['a reversed span', file({ x: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, f32x2), 'outside the data section'],
    ['overlapping spans', file({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32x2), 'overlap another tensor'],
    ['a hole in the data', file({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32x2), 'tensor "x": 4 unused bytes before its data'],
    ['trailing bytes', file({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32x2), 'data section is 8 bytes but tensors cover 4'],
    ['a huge element count', file({ x: { dtype: 'F32', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 8] } }, f32x2), 'elements exceeds the limit'],
    ['bad metadata', file({ __metadata__: { a: 1 } }), '__metadata__ must map strings to strings'],
  ])('rejects %s', (_name, bytes, message) => {
    expect(() => decodeSafetensors(bytes, 'm.st')).toThrow(FileFormatError);
    expect(() => decodeSafetensors(bytes, 'm.st')).toThrow(message);
  });
});
