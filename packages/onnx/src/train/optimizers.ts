/**
 * Optimizer updates as graph nodes, for core's optimizer options with tfjs-core's update rules
 * (so one step moves the weights the same way on both backends): SGD with momentum / Nesterov,
 * Adam, RMSProp; L2 weight decay added to the gradient (PyTorch's coupled form).
 */
import type { OptimizerOptions } from '@convzoo/core';
import { unitDims, type OnnxGraphBuilder } from '../graph-builder.js';

/** Per-parameter slots (same shape as the parameter, zero at the start). */
export function slotsOf(o: OptimizerOptions): readonly string[] {
  if (o.name === 'sgd') return o.momentum ? ['momentum'] : [];
  if (o.name === 'adam') return ['m', 'v'];
  return o.centered ? ['rms', 'momentum', 'mg'] : ['rms', 'momentum'];
}

/** Scalars shared by every parameter, with their starting values (Adam's beta powers). */
export function globalsOf(o: OptimizerOptions): ReadonlyMap<string, number> {
  return o.name === 'adam' ? new Map([['adam/beta1_power', o.beta1 ?? 0.9], ['adam/beta2_power', o.beta2 ?? 0.999]]) : new Map();
}

export interface Update {
  readonly value: string;
  readonly slots: Readonly<Record<string, string>>;
}

/**
 * Writes one optimizer step. `update(w, g, slots, rank)` gives a parameter's next value and
 * slots (`rank`: the parameter's, so every constant and shared scalar it meets has it too; see
 * OnnxGraphBuilder.scalar); `globals` holds the next value of each global.
 */
export function optimizerStep(b: OnnxGraphBuilder, o: OptimizerOptions, lr: string, globals: Readonly<Record<string, string>>): {
  update(key: string, w: string, g: string, slots: Readonly<Record<string, string>>, rank: number): Update;
  globals: Readonly<Record<string, string>>;
} {
  const decay = o.weightDecay ?? 0;
  const mul = (x: string, y: string, name: string) => b.node('Mul', [x, y], name);
  const addN = (x: string, y: string, name: string) => b.node('Add', [x, y], name);
  // Step-wide rank-0 values reshaped once per parameter rank.
  const reshaped = new Map<string, string>();
  const atRank = (value: string, rank: number): string => {
    const key = `${value}|${rank}`;
    if (!reshaped.has(key)) reshaped.set(key, rank === 0 ? value : b.node('Reshape', [value, b.int64s('shape', unitDims(rank))], `${value}/rank${rank}`));
    return reshaped.get(key)!;
  };
  const negLr = b.node('Neg', [lr], 'optimizer/neg_lr');
  let next: Record<string, string> = {};
  let correction: { first: string; second: string } | undefined;
  if (o.name === 'adam') {
    const [p1, p2] = ['adam/beta1_power', 'adam/beta2_power'].map((k) => globals[k]!);
    correction = {
      first: b.node('Sub', [b.scalar(1), p1!], 'adam/one_minus_beta1_power'),
      second: b.node('Sub', [b.scalar(1), p2!], 'adam/one_minus_beta2_power'),
    };
    next = { 'adam/beta1_power': mul(p1!, b.scalar(o.beta1 ?? 0.9), 'adam/beta1_power_next'), 'adam/beta2_power': mul(p2!, b.scalar(o.beta2 ?? 0.999), 'adam/beta2_power_next') };
  }
  return {
    globals: next,
    update(key, w, g0, slots, rank): Update {
      const n = `update/${key}`;
      const s = (v: number) => b.scalar(v, rank);
      const step = (direction: string) => mul(direction, atRank(negLr, rank), `${n}/step`);
      const g = decay > 0 ? addN(g0, mul(w, s(decay), `${n}/decay`), `${n}/grad`) : g0;
      if (o.name === 'sgd') {
        if (!o.momentum) return { value: addN(w, step(g), n), slots: {} };
        const acc = addN(mul(slots['momentum']!, s(o.momentum), `${n}/acc_kept`), g, `${n}/momentum`);
        const direction = o.nesterov ? addN(g, mul(acc, s(o.momentum), `${n}/lookahead`), `${n}/nesterov`) : acc;
        return { value: addN(step(direction), w, n), slots: { momentum: acc } };
      }
      if (o.name === 'adam') {
        const [b1, b2] = [o.beta1 ?? 0.9, o.beta2 ?? 0.999];
        const m = addN(mul(slots['m']!, s(b1), `${n}/m_kept`), mul(g, s(1 - b1), `${n}/m_added`), `${n}/m`);
        const v = addN(mul(slots['v']!, s(b2), `${n}/v_kept`), mul(mul(g, g, `${n}/g2`), s(1 - b2), `${n}/v_added`), `${n}/v`);
        const mHat = b.node('Div', [m, atRank(correction!.first, rank)], `${n}/m_hat`);
        const vHat = b.node('Div', [v, atRank(correction!.second, rank)], `${n}/v_hat`);
        const denominator = addN(b.node('Sqrt', [vHat], `${n}/v_hat_sqrt`), s(o.epsilon ?? 1e-7), `${n}/denominator`);
        return { value: addN(step(b.node('Div', [mHat, denominator], `${n}/ratio`)), w, n), slots: { m, v } };
      }
      const [rho, momentum, eps] = [o.decay ?? 0.9, o.momentum ?? 0, o.epsilon ?? 1e-7];
      const rms = addN(mul(slots['rms']!, s(rho), `${n}/rms_kept`), mul(mul(g, g, `${n}/g2`), s(1 - rho), `${n}/rms_added`), `${n}/rms`);
      let meanGrad: string | undefined;
      let denominator: string;
      if (o.centered) {
        meanGrad = addN(mul(slots['mg']!, s(rho), `${n}/mg_kept`), mul(g, s(1 - rho), `${n}/mg_added`), `${n}/mg`);
        const spread = b.node('Sub', [rms, addN(mul(meanGrad, meanGrad, `${n}/mg2`), s(eps), `${n}/mg2_eps`)], `${n}/variance`);
        denominator = b.node('Sqrt', [spread], `${n}/denominator`);
      } else {
        denominator = b.node('Sqrt', [addN(rms, s(eps), `${n}/rms_eps`)], `${n}/denominator`);
      }
      const contribution = b.node('Div', [mul(g, atRank(lr, rank), `${n}/g_lr`), denominator], `${n}/contribution`);
      const acc = addN(mul(slots['momentum']!, s(momentum), `${n}/momentum_kept`), contribution, `${n}/momentum`);
      return { value: b.node('Sub', [w, acc], n), slots: { rms, momentum: acc, ...(meanGrad ? { mg: meanGrad } : {}) } };
    },
  };
}
