import type { TensorData } from '../tensor.js';

/** The fraction of rows of `scores` [N, classes] whose largest value (first on ties) is at `labels[n]`. */
export function classificationAccuracy(scores: TensorData, labels: ArrayLike<number>): number {
  const classes = scores.shape[1]!;
  let hits = 0;
  for (let n = 0; n < labels.length; n++) {
    const row = scores.data.subarray(n * classes, (n + 1) * classes);
    if (row.indexOf(Math.max(...row)) === labels[n]) hits++;
  }
  return hits / labels.length;
}
