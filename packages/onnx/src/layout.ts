/**
 * Layout conversions between convzoo (channels-last, HWIO kernels, [in, out] dense kernels)
 * and ONNX (NCHW, OIHW kernels).
 */

/**
 * Flatten order: for a [H, W, C] map, ONNX (NCHW) flattens element (c, h, w) to row
 * c*H*W + h*W + w, convzoo (NHWC) to row (h*W + w)*C + c. Returns perm with
 * perm[onnxRow] = convzooRow, which permutes a dense kernel's rows either way.
 */
export function flattenPermutation([h, w, c]: readonly [number, number, number]): Int32Array {
  const perm = new Int32Array(h * w * c);
  for (let ch = 0; ch < c; ch++) {
    for (let p = 0; p < h * w; p++) perm[ch * h * w + p] = p * c + ch;
  }
  return perm;
}

/** Whether NCHW and NHWC flatten a [H, W, C] map in the same order (a 1x1 map, or one channel). */
export function flattenOrdersAgree([h, w, c]: readonly [number, number, number]): boolean {
  return h * w === 1 || c === 1;
}

/**
 * HWIO [kh, kw, i, o] -> OIHW rows first..first+count-1 (one row per output filter) into `out`:
 * a blocked transpose that walks the HWIO source in order, so streamed export keeps locality.
 */
export function hwioToOihwRows(data: Float32Array, [kh, kw, i, o]: readonly number[], first: number, count: number, out: Float32Array): void {
  const window = kh! * kw!;
  const rowLength = i! * window;
  for (let p = 0; p < window; p++) {
    for (let c = 0; c < i!; c++) {
      const src = (p * i! + c) * o!;
      const dst = c * window + p - first * rowLength;
      for (let f = first; f < first + count; f++) out[dst + f * rowLength] = data[src + f]!;
    }
  }
}

/** HWIO [kh, kw, i, o] -> OIHW [o, i, kh, kw] (a copy). */
export function hwioToOihw(data: Float32Array, hwio: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  hwioToOihwRows(data, hwio, 0, hwio[3]!, out);
  return out;
}

/** OIHW [o, i, kh, kw] -> HWIO [kh, kw, i, o] (a copy). */
export function oihwToHwio(data: Float32Array, [o, i, kh, kw]: readonly [number, number, number, number]): Float32Array {
  const out = new Float32Array(data.length);
  for (let oo = 0; oo < o; oo++) {
    for (let ii = 0; ii < i; ii++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) out[((y * kw + x) * i + ii) * o + oo] = data[((oo * i + ii) * kh + y) * kw + x]!;
      }
    }
  }
  return out;
}
