import type { OpDef } from './types.js';
import type { Shape } from '../tensor.js';
import { ACTIVATIONS } from './attrs.js';
import * as check from './checks.js';

const same = ([input]: readonly Shape[]): Shape => input!;
const none = () => [];
const zero = () => 0;
const nothing = () => {};

export const activation: OpDef<'Activation'> = {
  op: 'Activation',
  arity: 1,
  checkAttrs(a) {
    if (!ACTIVATIONS.includes(a.fn)) throw new Error(`unknown activation ${JSON.stringify(a.fn)}; expected one of ${ACTIVATIONS.join(', ')}`);
    const given = (['alpha', 'min', 'max'] as const).filter((k) => a[k] !== undefined);
    const allowed = a.fn === 'leaky_relu' ? ['alpha'] : a.fn === 'clip' ? ['min', 'max'] : [];
    const extra = given.find((k) => !allowed.includes(k));
    if (extra !== undefined) throw new Error(`activation ${a.fn} takes no ${extra}${allowed.length > 0 ? `, only ${allowed.join(' and ')}` : ''}`);
    if (a.fn === 'leaky_relu') check.finite(a.alpha, 'leaky_relu alpha');
    if (a.fn === 'clip') {
      if (given.length === 0) throw new Error('activation clip needs min, max or both (ReLU6 is min 0, max 6)');
      if (a.min !== undefined) check.finite(a.min, 'clip min');
      if (a.max !== undefined) check.finite(a.max, 'clip max');
      if (a.min !== undefined && a.max !== undefined && a.min > a.max) throw new Error(`clip min ${a.min} must not exceed max ${a.max}`);
    }
  },
  inferShape: same,
  params: none,
  macs: zero,
};

export const dropout: OpDef<'Dropout'> = {
  op: 'Dropout',
  arity: 1,
  checkAttrs(a) {
    check.finite(a.rate, 'rate', 0);
    if (a.rate >= 1) throw new Error(`rate must be in [0, 1), got ${a.rate}`);
  },
  inferShape: same,
  params: none,
  macs: zero,
};

export const lrn: OpDef<'LRN'> = {
  op: 'LRN',
  arity: 1,
  checkAttrs(a) {
    check.positiveInt(a.size, 'size');
    check.finite(a.alpha, 'alpha');
    check.finite(a.beta, 'beta');
    check.finite(a.bias, 'bias');
  },
  inferShape([input]) {
    check.spatial(input!, 'LRN');
    return input!;
  },
  params: none,
  macs: zero,
};

export const batchNorm: OpDef<'BatchNorm'> = {
  op: 'BatchNorm',
  arity: 1,
  checkAttrs(a) {
    check.finite(a.epsilon, 'epsilon', 0);
    check.finite(a.momentum, 'momentum', 0);
    if (a.epsilon <= 0) throw new Error(`epsilon must be > 0, got ${a.epsilon}`);
    if (a.momentum >= 1) throw new Error(`momentum must be in [0, 1), got ${a.momentum}`);
  },
  inferShape: same,
  params([input]) {
    const c = input![input!.length - 1]!;
    return [
      { name: 'gamma', shape: [c], trainable: true, init: 'ones' },
      { name: 'beta', shape: [c], trainable: true, init: 'zeros' },
      { name: 'moving_mean', shape: [c], trainable: false, init: 'zeros' },
      { name: 'moving_variance', shape: [c], trainable: false, init: 'ones' },
    ];
  },
  macs: zero,
};

export const add: OpDef<'Add'> = {
  op: 'Add',
  arity: 'many',
  checkAttrs: nothing,
  inferShape(inputs) {
    const first = inputs[0]!;
    for (const s of inputs) {
      if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
        throw new Error(`Add needs equal shapes, got ${inputs.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
      }
    }
    return first;
  },
  params: none,
  macs: zero,
};

export const concatenate: OpDef<'Concatenate'> = {
  op: 'Concatenate',
  arity: 'many',
  checkAttrs: nothing,
  inferShape(inputs) {
    const first = inputs[0]!;
    const rank = first.length;
    let channels = 0;
    for (const s of inputs) {
      if (s.length !== rank || s.slice(0, -1).some((d, i) => d !== first[i])) {
        throw new Error(`Concatenate needs equal shapes except the last axis, got ${inputs.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
      }
      channels += s[rank - 1]!;
    }
    return [...first.slice(0, -1), channels];
  },
  params: none,
  macs: zero,
};

export const flatten: OpDef<'Flatten'> = {
  op: 'Flatten',
  arity: 1,
  checkAttrs: nothing,
  inferShape: ([input]) => [input!.reduce((a, b) => a * b, 1)],
  params: none,
  macs: zero,
};

export const globalAvgPool2d: OpDef<'GlobalAvgPool2D'> = {
  op: 'GlobalAvgPool2D',
  arity: 1,
  checkAttrs: nothing,
  inferShape: ([input]) => [check.spatial(input!, 'GlobalAvgPool2D')[2]],
  params: none,
  macs: zero,
};

export const zeroPadding2d: OpDef<'ZeroPadding2D'> = {
  op: 'ZeroPadding2D',
  arity: 1,
  checkAttrs: (a) => check.pads(a.padding, 'padding'),
  inferShape([input], a) {
    const [h, w, c] = check.spatial(input!, 'ZeroPadding2D');
    const [[t, b], [l, r]] = a.padding;
    return [h + t + b, w + l + r, c];
  },
  params: none,
  macs: zero,
};

export const input: OpDef<'Input'> = {
  op: 'Input',
  arity: 0,
  checkAttrs(a) {
    if (!Array.isArray(a.shape) || a.shape.length === 0) throw new Error(`Input shape must be a non-empty array, got ${JSON.stringify(a.shape)}`);
    a.shape.forEach((d, i) => check.positiveInt(d, `shape[${i}]`));
  },
  inferShape: (_inputs, a) => a.shape,
  params: none,
  macs: zero,
};
