/** Softmax cross-entropy from logits and the accuracy count, as graph nodes. */
import type { OnnxGraphBuilder } from '../graph-builder.js';

export interface Head {
  /** [N, classes] logits. */
  readonly logits: string;
  readonly classes: number;
  readonly weight: number;
}

export interface LossNodes {
  /** Scalar: sum_h weight_h * sum_n -log softmax(logits_h)[n, label_n] * `scale`. */
  readonly loss: string;
  /** Scalar: how many rows of the first head's logits pick their label. */
  readonly correct: string;
  /** d loss / d logits per head: weight_h * scale * (softmax - onehot); only when asked for. */
  readonly grads: readonly string[];
}

/**
 * `mean`: scale 1 / N (the training objective); otherwise the sum over the batch (evaluation
 * adds batches up, then divides).
 */
export function crossEntropy(b: OnnxGraphBuilder, heads: readonly Head[], labels: string, opts: { mean: boolean; gradients: boolean }): LossNodes {
  const onehots = new Map<number, string>();
  const onehot = (classes: number): string => {
    let t = onehots.get(classes);
    if (t === undefined) {
      t = b.node('OneHot', [labels, b.int64s('depth', [classes]), b.floats('onehot_values', [0, 1])], `onehot_${classes}`, { axis: { int: 1 } });
      onehots.set(classes, t);
    }
    return t;
  };
  const scale = opts.mean
    ? b.node('Reciprocal', [b.node('Cast', [b.node('Size', [labels], 'batch_size')], 'batch_size_f', { to: { int: 1 } })], 'inv_batch_size')
    : b.scalar(1);
  const terms: string[] = [];
  const grads: string[] = [];
  heads.forEach((h, i) => {
    const y = onehot(h.classes);
    const logProbs = b.node('LogSoftmax', [h.logits], `loss/${i}/log_softmax`, { axis: { int: 1 } });
    const picked = b.node('ReduceSum', [b.node('Mul', [y, logProbs], `loss/${i}/picked`)], `loss/${i}/sum`, { keepdims: { int: 0 } });
    const factor = b.node('Mul', [scale, b.scalar(h.weight)], `loss/${i}/factor`);
    terms.push(b.node('Mul', [picked, b.node('Neg', [factor], `loss/${i}/minus_factor`)], `loss/${i}`));
    if (opts.gradients) {
      const residual = b.node('Sub', [b.node('Exp', [logProbs], `loss/${i}/softmax`), y], `loss/${i}/residual`);
      grads.push(b.node('Mul', [residual, factor], `loss/${i}/dlogits`));
    }
  });
  const loss = terms.length === 1 ? terms[0]! : b.node('Sum', terms, 'loss/total');
  const predicted = b.node('ArgMax', [heads[0]!.logits], 'predicted', { axis: { int: 1 }, keepdims: { int: 0 } });
  const hits = b.node('Cast', [b.node('Equal', [predicted, labels], 'hits_bool')], 'hits', { to: { int: 1 } });
  return { loss, correct: b.node('ReduceSum', [hits], 'correct_count', { keepdims: { int: 0 } }), grads };
}
