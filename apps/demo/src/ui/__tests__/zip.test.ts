import { describe, expect, it } from 'vitest';
import { crc32, zip } from '../zip.js';

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    // The check value of CRC-32/ISO-HDLC.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes stored entries with their names, sizes and CRCs, and a central directory', () => {
    const out = zip(new Map<string, string | Uint8Array>([['d/a.txt', 'hello'], ['d/b.bin', new Uint8Array([1, 2, 3])]]));
    const v = new DataView(out.buffer);
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(v.getUint32(14, true)).toBe(crc32(new TextEncoder().encode('hello')));
    expect(v.getUint32(18, true)).toBe(5);
    expect(new TextDecoder().decode(out.subarray(30, 37))).toBe('d/a.txt');
    expect(new TextDecoder().decode(out.subarray(37, 42))).toBe('hello');
    const end = out.length - 22;
    expect(v.getUint32(end, true)).toBe(0x06054b50);
    expect(v.getUint16(end + 10, true)).toBe(2);
    expect(v.getUint32(v.getUint32(end + 16, true), true)).toBe(0x02014b50);
  });
});
