import { Model } from '@convzoo/core';
import { GRAPH_CASES, randomizeNonKernelWeights } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { ortVsReference } from './helpers.js';

describe('export numerics: ort-cpu vs the float64 reference', () => {
  for (const [name, build] of Object.entries(GRAPH_CASES)) {
    for (const foldBatchNorm of [true, false]) {
      it(`${name} (BatchNorm ${foldBatchNorm ? 'folded' : 'kept'})`, async () => {
        const model = randomizeNonKernelWeights(Model.init(build(), 5), 5);
        expect(await ortVsReference(model, { foldBatchNorm })).toBeLessThan(1e-5);
      });
    }
  }
});
