import { describe, expect, it } from 'vitest';
import { maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { tfjs } from '../index.js';
import { ARCHITECTURES, FULL } from './architectures.js';

describe('cpu and wasm agree on every architecture (batch 2, seeded)', () => {
  for (const c of Object.values(ARCHITECTURES).flat()) {
    it(c.name, async () => {
      const model = c.model();
      const input = randomInput([2, ...model.inputShape], 5);
      const [cpu, wasm] = await Promise.all(['cpu', 'wasm'].map(async (device) => {
        const compiled = await tfjs({ device: device as 'cpu' | 'wasm' }).compile(model);
        try {
          return await compiled.predict(input);
        } finally {
          await compiled.dispose();
        }
      }));
      expect(wasm!.map((t) => t.shape)).toEqual(cpu!.map((t) => t.shape));
      wasm!.forEach((t, i) => expect(maxRelDiff(t.data, cpu![i]!.data)).toBeLessThanOrEqual(1e-5));
    }, FULL ? 600_000 : 60_000);
  }
});
