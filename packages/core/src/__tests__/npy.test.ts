import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../index.js';

// Bytes written by numpy 2.4: np.save(f, np.arange(6, dtype='<f4').reshape(2, 3)) and
// np.save(f, np.array([1.5, -2], dtype='<f8')).
const NUMPY_ARANGE =
  '934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000803f0000004000004040000080400000a040';
const NUMPY_F64 =
  '934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a000000000000f83f00000000000000c0';

describe('.npy', () => {
  it('writes what numpy writes', () => {
    const bytes = encodeNpy({ shape: [2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) });
    expect(Buffer.from(bytes).toString('hex')).toBe(NUMPY_ARANGE);
    expect((bytes.length - 6 * 4) % 64).toBe(0);
  });

  it('round-trips, including 1-D, and converts float64', () => {
    expect(decodeNpy(encodeNpy({ shape: [3], data: Float32Array.of(1, 2, 3) }))).toEqual({ shape: [3], data: Float32Array.of(1, 2, 3) });
    expect(decodeNpy(Buffer.from(NUMPY_F64, 'hex'))).toEqual({ shape: [2], data: Float32Array.of(1.5, -2) });
    expect(decodeNpy(Buffer.from(NUMPY_ARANGE, 'hex')).shape).toEqual([2, 3]);
  });

  const make = (header: string, dataBytes: number) => {
    const h = header + '\n';
    return Buffer.concat([Buffer.from('934e554d50590100', 'hex'), Buffer.from([h.length, 0]), Buffer.from(h), Buffer.alloc(dataBytes)]);
  };
  it.each<[string, Uint8Array, string]>([
    ['bad magic', Buffer.from('hello world!'), 'x.npy: not a .npy file (bad magic bytes)'],
    ['int dtype', make("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 16), "dtype <i8 is not supported; expected float32 ('<f4') or float64 ('<f8')"],
    ['big-endian', make("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8), 'dtype >f4 is not supported'],
    ['Fortran order', make("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 8), 'Fortran-order arrays are not supported'],
    ['short data', make("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 8), 'shape (2, 3) needs 24 data bytes, the file holds 8'],
    ['garbled header', make('{nonsense}', 8), 'malformed .npy header'],
  ])('rejects %s', (_n, bytes, message) => {
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(message);
  });
});
