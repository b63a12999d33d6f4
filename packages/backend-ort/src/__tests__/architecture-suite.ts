/**
 * The per-architecture checks: with the same seeded weights (non-kernel weights randomized) and
 * a seeded batch of 2, ort-cpu (BatchNorm folded and kept) and tfjs-wasm match core's float64
 * reference and each other; where the case asks, the model survives import(export(model)).
 */
import { maxRelDiff, type TensorData } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights, referencePredict } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx } from '@convzoo/onnx';
import type { ArchitectureCase } from './architectures.js';
import { ortPredict, tfjsWasmPredict } from './helpers.js';

/** The bar: max|a - b| / max|b| within 1e-4 of the reference. */
export const ARCHITECTURE_TOLERANCE = 1e-4;

function agreement(outs: readonly TensorData[], refs: readonly TensorData[]): number {
  expect(outs.map((o) => o.shape)).toEqual(refs.map((r) => r.shape));
  return Math.max(...outs.map((o, i) => maxRelDiff(o.data, refs[i]!.data)));
}

export function describeArchitectures(cases: readonly ArchitectureCase[]): void {
  describe('architectures on ort-cpu and tfjs-wasm vs the float64 reference', () => {
    for (const c of cases) {
      it(c.name, async () => {
        const model = randomizeNonKernelWeights(c.model(), 1);
        const input = randomInput([2, ...model.inputShape], 2);
        const refs = referencePredict(model, input);
        const folded = await ortPredict(model, input, { foldBatchNorm: true });
        const measured: number[] = [agreement(folded, refs)];
        // Without BatchNorm both options export the same graph: one run serves.
        const hasBatchNorm = model.nodes.some((n) => n.op === 'BatchNorm');
        const kept = hasBatchNorm ? await ortPredict(model, input, { foldBatchNorm: false }) : folded;
        const wasm = await tfjsWasmPredict(model, input);
        // vs the reference (folded, kept, tfjs-wasm), then ort-cpu vs tfjs-wasm directly.
        measured.push(agreement(kept, refs), agreement(wasm, refs), agreement(folded, wasm));
        // CONVZOO_REPORT=1 prints the numbers quoted in the README.
        if (process.env.CONVZOO_REPORT) console.log(`| ${c.name} | ${measured.map((m) => m.toExponential(1)).join(' | ')} |`);
        for (const m of measured) expect(m).toBeLessThan(ARCHITECTURE_TOLERANCE);
        if (c.roundTrip) {
          // Import of the NCHW export runs the same function (compared on ort: same kernels, so tighter).
          const again = importOnnx(exportOnnx(model, { foldBatchNorm: false }));
          expect(again.inputShape).toEqual(model.inputShape);
          expect(agreement(await ortPredict(again, input, { foldBatchNorm: false }), kept)).toBeLessThan(1e-6);
        }
      }, 120_000);
    }
  });
}
