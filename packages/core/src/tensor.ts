/** A dense float32 tensor in C order. Shapes include the batch dimension where there is one. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Per-sample shape (no batch dimension): [H, W, C] for feature maps, [F] for vectors. */
export type Shape = readonly number[];

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * The agreement measure used everywhere in convzoo: max|a - b| / max|b|, the error relative to
 * the reference output's largest magnitude (b is the reference).
 */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`maxRelDiff: lengths differ (${a.length} vs ${b.length})`);
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    const bi = b[i] as number;
    const d = Math.abs(ai - bi);
    if (d > diff || Number.isNaN(d)) diff = d;
    const m = Math.abs(bi);
    if (m > scale) scale = m;
  }
  if (Number.isNaN(diff)) return Number.NaN;
  return scale === 0 ? diff : diff / scale;
}

/** How many values are NaN or infinite, and the flat index of the first (-1 if none). */
export function nonFinite(data: ArrayLike<number>): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      if (count++ === 0) first = i;
    }
  }
  return { count, first };
}

/**
 * One message per tensor holding NaN or an infinity (every output it reaches is then not a
 * number): what loaders pass to their `onWarning`.
 */
export function nonFiniteWarnings(tensors: ReadonlyMap<string, TensorData>): string[] {
  const out: string[] = [];
  for (const [name, t] of tensors) {
    const { count, first } = nonFinite(t.data);
    if (count > 0) out.push(`weight "${name}" [${t.shape.join(', ')}] holds ${count} NaN or infinite value(s) (the first at flat index ${first}); outputs that depend on it will not be numbers`);
  }
  return out;
}
