/**
 * `@convzoo/core/testing/conformance`: the suite every backend runs under vitest, on its own
 * subpath so that importing `@convzoo/core/testing` never pulls vitest in.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, CompileOptions } from '../backend.js';
import { GraphBuilder } from '../graph/builder.js';
import { Model } from '../model.js';
import { maxRelDiff, sizeOf } from '../tensor.js';
import { OP_CASES, opCaseModel } from './op-cases.js';
import { randomInput } from './random.js';
import { referencePredict } from './reference.js';

export interface ModelCase {
  readonly name: string;
  /** Built lazily, inside the test. */
  model(): Model;
  /** Overrides the suite tolerance for this model. */
  readonly tolerance?: number;
}

export interface ConformanceOptions {
  /** Creates the backend under test. */
  backend(): Backend | Promise<Backend>;
  compileOptions?: CompileOptions;
  /** max|a - b| / max|b| allowed against the float64 reference (default 1e-5). */
  tolerance?: number;
  /** Case name -> why this backend cannot run it. Listed, never silently skipped. */
  exclude?: Readonly<Record<string, string>>;
  /** Whole-architecture cases (core cannot depend on the architecture packages). */
  models?: readonly ModelCase[];
  /** Batch size for the model cases (default 2). */
  batch?: number;
  /** Per-test timeout in ms for the model cases. */
  timeout?: number;
}

/** A small convolutional classifier for the concurrency check. */
function smallNet(): Model {
  const g = new GraphBuilder('concurrency');
  let x = g.conv2d(g.input([8, 8, 3]), { filters: 4, kernelSize: 3, activation: 'relu' });
  x = g.flatten(g.maxPool2d(x, { poolSize: 2 }));
  return Model.init(g.build([g.dense(x, { units: 5 })]), 1);
}

/**
 * The one suite every backend runs: each op case on a batch of two (the hand-checked sample and
 * a seeded random one, the latter checked against the float64 reference), concurrent predicts
 * on one compiled model, then whole models.
 */
export function describeBackendConformance(name: string, opts: ConformanceOptions): void {
  const tolerance = opts.tolerance ?? 1e-5;
  const exclude = opts.exclude ?? {};
  describe(`${name}: op conformance`, () => {
    for (const c of OP_CASES) {
      const test = c.name in exclude ? it.skip : it;
      test(c.name, async () => {
        const model = opCaseModel(c);
        const perSample = sizeOf(c.inputShape);
        const random = randomInput([1, ...c.inputShape], 7);
        const data = new Float32Array(2 * perSample);
        data.set(c.input);
        data.set(random.data, perSample);
        const input = { shape: [2, ...c.inputShape], data };
        const backend = await opts.backend();
        const compiled = await backend.compile(model, opts.compileOptions);
        try {
          const [out] = await compiled.predict(input);
          const [ref] = referencePredict(model, input);
          expect(out!.shape).toEqual(ref!.shape);
          const half = out!.data.length / 2;
          expect(maxRelDiff(out!.data.subarray(0, half), Float32Array.from(c.expected))).toBeLessThanOrEqual(tolerance);
          expect(maxRelDiff(out!.data, ref!.data)).toBeLessThanOrEqual(tolerance);
        } finally {
          await compiled.dispose();
        }
      });
    }
  });
  describe(`${name}: concurrency`, () => {
    it('16 concurrent predicts on one compiled model equal 16 sequential ones', async () => {
      const compiled = await (await opts.backend()).compile(smallNet(), opts.compileOptions);
      try {
        const inputs = Array.from({ length: 16 }, (_, i) => randomInput([2, 8, 8, 3], 100 + i));
        const sequential: Float32Array[] = [];
        for (const x of inputs) sequential.push((await compiled.predict(x))[0]!.data);
        const concurrent = await Promise.all(inputs.map((x) => compiled.predict(x)));
        concurrent.forEach(([y], i) => expect(y!.data).toEqual(sequential[i]));
      } finally {
        await compiled.dispose();
      }
    });
  });
  if (opts.models && opts.models.length > 0) {
    describe(`${name}: model conformance`, () => {
      for (const m of opts.models!) {
        const test = m.name in exclude ? it.skip : it;
        test(m.name, async () => {
          const model = m.model();
          const input = randomInput([opts.batch ?? 2, ...model.inputShape], 3);
          const backend = await opts.backend();
          const compiled = await backend.compile(model, opts.compileOptions);
          try {
            const outs = await compiled.predict(input);
            const refs = referencePredict(model, input);
            expect(outs.length).toBe(refs.length);
            outs.forEach((o, i) => {
              expect(o.shape).toEqual(refs[i]!.shape);
              expect(maxRelDiff(o.data, refs[i]!.data)).toBeLessThanOrEqual(m.tolerance ?? tolerance);
            });
          } finally {
            await compiled.dispose();
          }
        }, opts.timeout ?? 60_000);
      }
    });
  }
}
