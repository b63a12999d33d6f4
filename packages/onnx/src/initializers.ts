/**
 * Initializers produced row by row (a conv filter, a dense kernel row) in ONNX layout, so that
 * converting and writing the weights never holds a second full copy of them.
 */
import type { TensorData } from '@convzoo/core';
import type { InitializerSource } from './proto/encode.js';
import { DataType } from './proto/proto.js';
import { hwioToOihwRows } from './layout.js';

/**
 * A float tensor as rows of equal length; fill(first, count, out) writes rows first..first+count-1
 * in ONNX order (blocks of rows let transposes read their source with locality).
 */
export interface FloatRows {
  readonly rows: number;
  readonly rowLength: number;
  fill(first: number, count: number, out: Float32Array): void;
}

const CHUNK_FLOATS = 1 << 18; // 1 MiB buffers

export function floatInitializer(name: string, dims: readonly number[], rows: FloatRows): InitializerSource {
  const count = rows.rows * rows.rowLength;
  if (dims.reduce((a, b) => a * b, 1) !== count) throw new Error(`initializer "${name}": dims [${dims.join(', ')}] do not hold ${count} values`);
  return {
    name,
    dataType: DataType.FLOAT,
    dims,
    byteLength: count * 4,
    *chunks() {
      const perChunk = Math.max(1, Math.floor(CHUNK_FLOATS / Math.max(rows.rowLength, 1)));
      const buffer = new Float32Array(Math.min(perChunk, rows.rows) * rows.rowLength);
      for (let r = 0; r < rows.rows; r += perChunk) {
        const n = Math.min(perChunk, rows.rows - r);
        rows.fill(r, n, buffer);
        yield new Uint8Array(buffer.buffer, 0, n * rows.rowLength * 4);
      }
    },
  };
}

export function int64Initializer(name: string, values: readonly number[]): InitializerSource {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return {
    name,
    dataType: DataType.INT64,
    dims: [values.length],
    byteLength: data.byteLength,
    *chunks() {
      yield new Uint8Array(data.buffer);
    },
  };
}

/** One row: a vector (bias, BatchNorm parameter, scalar constant). */
export function vectorRows(values: ArrayLike<number>): FloatRows {
  return { rows: 1, rowLength: values.length, fill: (_first, _count, out) => out.set(values) };
}

/**
 * HWIO conv kernel -> OIHW rows (one per output filter), zeroing entries a connection mask
 * leaves out and scaling each filter (a folded BatchNorm).
 */
export function convKernelRows(kernel: TensorData, mask?: readonly (readonly number[])[], scale?: Float32Array): FloatRows {
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const window = kh * kw;
  const rowLength = cin * window;
  return {
    rows: cout,
    rowLength,
    fill(first, count, out) {
      hwioToOihwRows(kernel.data, kernel.shape, first, count, out);
      for (let o = first; o < first + count; o++) {
        const row = out.subarray((o - first) * rowLength, (o - first + 1) * rowLength);
        if (scale) for (let j = 0; j < rowLength; j++) row[j]! *= scale[o]!;
        if (mask) for (let i = 0; i < cin; i++) if (mask[i]![o] === 0) row.fill(0, i * window, (i + 1) * window);
      }
    },
  };
}

/** [in, out] dense kernel rows, optionally taken in a permuted order and scaled per output unit. */
export function denseKernelRows(kernel: TensorData, perm?: Int32Array, scale?: Float32Array): FloatRows {
  const [rows, units] = kernel.shape as [number, number];
  return {
    rows,
    rowLength: units,
    fill(first, count, out) {
      for (let r = 0; r < count; r++) {
        const src = perm ? perm[first + r]! : first + r;
        const row = out.subarray(r * units, (r + 1) * units);
        row.set(kernel.data.subarray(src * units, (src + 1) * units));
        if (scale) for (let u = 0; u < units; u++) row[u]! *= scale[u]!;
      }
    },
  };
}

/** Depthwise [C, 1, kh, kw] kernel whose filter c is filled with value[c] (LeNet subsampling). */
export function constantFilterRows(values: Float32Array, window: number): FloatRows {
  return {
    rows: values.length,
    rowLength: window,
    fill: (first, count, out) => {
      for (let c = 0; c < count; c++) out.fill(values[first + c]!, c * window, (c + 1) * window);
    },
  };
}
