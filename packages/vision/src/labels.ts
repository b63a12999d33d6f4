import { ConvzooError } from '@convzoo/core';
import { IMAGENET_CLASSES } from './imagenet-classes.js';

/** One ranked class of one image. */
export interface Prediction {
  readonly class: number;
  readonly label: string;
  readonly probability: number;
}

/** Softmax over one row of logits, in float64 and shifted by the maximum so large logits stay finite. */
export function softmax(logits: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]!);
  const e = Array.from(logits, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * The class names for a classifier with `numClasses` outputs when none are recorded:
 * ImageNet-1k's (torchvision's order) for 1000, none otherwise.
 */
export function defaultLabels(numClasses: number): readonly string[] | undefined {
  return numClasses === 1000 ? IMAGENET_CLASSES : undefined;
}

/**
 * The `k` most probable classes of each row of `logits` [N, classes] (softmax per row),
 * best first; ties keep the lower class id first. `labels` name them (the id otherwise).
 * Pass `probabilities: true` when the rows already are probabilities (a softmax head).
 */
export function topK(
  logits: { readonly shape: readonly number[]; readonly data: ArrayLike<number> }, k: number,
  options: { readonly labels?: readonly string[] | undefined; readonly probabilities?: boolean } = {},
): Prediction[][] {
  const [n, classes] = logits.shape.length === 2 ? (logits.shape as [number, number]) : [1, logits.data.length];
  if (!(Number.isInteger(k) && k >= 1)) throw new ConvzooError('ARGUMENT_INVALID', `top-k needs a positive integer k, got ${k}`);
  if (options.labels !== undefined && options.labels.length !== classes) {
    throw new ConvzooError('ARGUMENT_INVALID', `${options.labels.length} labels for ${classes} classes`);
  }
  const rows: Prediction[][] = [];
  for (let r = 0; r < n; r++) {
    const row = Array.from({ length: classes }, (_, i) => logits.data[r * classes + i]!);
    const probs = options.probabilities ? row : softmax(row);
    rows.push(probs.map((p, i) => ({ class: i, label: options.labels?.[i] ?? String(i), probability: p }))
      .sort((a, b) => b.probability - a.probability || a.class - b.class).slice(0, k));
  }
  return rows;
}
