/** An 8-bit RGB PNG from pixels (zlib from Node, CRC from the app's zip writer): sharp and browsers both decode it. */
import { deflateSync } from 'node:zlib';
import { crc32 } from '../src/ui/zip.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** `rgb` is row-major, 3 bytes a pixel. */
export function rgbPng(rgb: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter set, no interlace
  const raw = Buffer.alloc((3 * width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(3 * width * y, 3 * width * (y + 1)), y * (3 * width + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** A deterministic test "photo": smooth colour gradients with a bright disc. */
export function testPhoto(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (height * 0.25) ** 2;
      const i = 3 * (y * width + x);
      rgb[i] = disc ? 240 : (255 * x) / width;
      rgb[i + 1] = disc ? 220 : (255 * y) / height;
      rgb[i + 2] = disc ? 40 : 128 + 100 * Math.sin((x + y) / 7);
    }
  }
  return rgb;
}
