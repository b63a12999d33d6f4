/** A grayscale image as an uncompressed 24-bit BMP (browsers decode it; no encoder needed). */
export function grayBmp(values: ArrayLike<number>, width: number, height: number): Buffer {
  const rowBytes = Math.ceil((3 * width) / 4) * 4;
  const out = Buffer.alloc(54 + rowBytes * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10); // pixel data offset
  out.writeUInt32LE(40, 14); // BITMAPINFOHEADER
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22); // positive: rows stored bottom-up
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const v = Math.round(Math.min(Math.max(values[y * width + x]!, 0), 1) * 255);
      out.fill(v, row + 3 * x, row + 3 * x + 3);
    }
  }
  return out;
}
