import { describe, expect, it } from 'vitest';
import { C3_CONNECTIONS, lenet5 } from '../index.js';

// The rule for Table I of LeCun et al. 1998 as shared/reference/architectures.md states it:
// which S2 maps each C3 map reads.
const C3_INPUTS: number[][] = [
  ...[0, 1, 2, 3, 4, 5].map((j) => [j, j + 1, j + 2].map((m) => m % 6)),
  ...[0, 1, 2, 3, 4, 5].map((k) => [k, k + 1, k + 2, k + 3].map((m) => m % 6)),
  [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

describe('LeNet-5 C3 connection map (Table I)', () => {
  it('is the exact 6x16 table', () => {
    expect(C3_CONNECTIONS).toEqual([
      [1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1],
      [1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1],
      [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1],
      [0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1],
      [0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1],
      [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1],
    ]);
    const fromRule = [0, 1, 2, 3, 4, 5].map((i) => C3_INPUTS.map((inputs) => (inputs.includes(i) ? 1 : 0)));
    expect(C3_CONNECTIONS).toEqual(fromRule);
  });

  it('S2 map 0 feeds C3 maps 0,4,5,6,9,10,11,12,14,15; 60 connections in all', () => {
    expect(C3_CONNECTIONS[0]!.flatMap((v, o) => (v === 1 ? [o] : []))).toEqual([0, 4, 5, 6, 9, 10, 11, 12, 14, 15]);
    expect(C3_CONNECTIONS.flat().reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('is what the paper graph uses, and masked kernel entries are zero', () => {
    const model = lenet5({ seed: 3 });
    const c3 = model.nodes.find((n) => n.name === 'c3')!;
    expect(c3.op === 'Conv2D' && c3.attrs.connectionMask).toEqual(C3_CONNECTIONS);
    const k = model.weight('c3', 'kernel');
    expect(k.shape).toEqual([5, 5, 6, 16]);
    let zeros = 0;
    let nonzeroWhereConnected = 0;
    for (let p = 0; p < 25; p++) for (let i = 0; i < 6; i++) for (let o = 0; o < 16; o++) {
      const v = k.data[(p * 6 + i) * 16 + o]!;
      if (C3_CONNECTIONS[i]![o] === 0) zeros += v === 0 ? 1 : 0;
      else nonzeroWhereConnected += v !== 0 ? 1 : 0;
    }
    expect(zeros).toBe(25 * 36);
    expect(nonzeroWhereConnected).toBe(25 * 60);
  });
});
