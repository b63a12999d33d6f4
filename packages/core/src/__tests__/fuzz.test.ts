/**
 * Property-based fuzzing of every reader in core: mutated and random inputs must either parse
 * or fail with a ConvzooError (never another exception, a hang or a runaway allocation).
 * CONVZOO_FUZZ_RUNS raises the number of cases (default 2,000 per property in CI).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConvzooError, GraphBuilder, Model, decodeNpy, decodeSafetensors, encodeNpy, encodeSafetensors, graphFromJson, graphToJson,
} from '../index.js';

const RUNS = Number(process.env.CONVZOO_FUZZ_RUNS ?? 2000);
/**
 * A runaway guard, not a timing: a reader that loops or allocates without bound on a < 64 KiB
 * input takes far longer; generous so that a loaded 2-core CI machine never trips it.
 */
const MAX_MS_PER_INPUT = 5_000;

function model(): Model {
  const g = new GraphBuilder('fuzz');
  const x = g.input([8, 8, 2]);
  const y = g.conv2d(x, { filters: 3, kernelSize: 3, padding: 'same', name: 'c' });
  const z = g.batchNorm(g.maxPool2d(y, { poolSize: 2, ceilMode: true }), { name: 'bn' });
  return Model.init(g.build([g.dense(g.flatten(z), { units: 4, name: 'fc' })]), 0);
}

const valid = model();
const safetensorsBytes = encodeSafetensors(valid.weights, { format: 'pt' });
const graphText = graphToJson(valid.graph);
const npyBytes = encodeNpy({ shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });

/** A mutation of valid bytes: flips, overwrites, truncation, insertion, or a small number poked in. */
const mutated = (base: Uint8Array) =>
  fc.oneof(
    fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
      const b = Uint8Array.from(base);
      for (const [i, v] of edits) b[i] = v;
      return b;
    }),
    fc.nat(base.length).map((n) => base.slice(0, n)),
    fc.tuple(fc.nat(base.length), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([i, ins]) => {
      const b = new Uint8Array(base.length + ins.length);
      b.set(base.subarray(0, i));
      b.set(ins, i);
      b.set(base.subarray(i), i + ins.length);
      return b;
    }),
    fc.tuple(fc.nat(Math.max(0, base.length - 8)), fc.bigUint64Array({ minLength: 1, maxLength: 1 })).map(([i, v]) => {
      const b = Uint8Array.from(base);
      new DataView(b.buffer).setBigUint64(Math.min(i, b.length - 8), v[0]!, true);
      return b;
    }),
    fc.uint8Array({ maxLength: 512 }),
  );

function expectTypedOutcome(read: () => unknown): void {
  const start = performance.now();
  try {
    read();
  } catch (e) {
    if (!(e instanceof ConvzooError)) throw new Error(`reader threw a non-convzoo error: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message.length).toBeGreaterThan(0);
  }
  expect(performance.now() - start).toBeLessThan(MAX_MS_PER_INPUT);
}

describe('reader fuzzing', { timeout: 10_000 + RUNS * 5 }, () => {
  it('safetensors: mutated and random bytes', () => {
    fc.assert(fc.property(mutated(safetensorsBytes), (b) => expectTypedOutcome(() => decodeSafetensors(b, 'w.safetensors'))), { numRuns: RUNS });
  });

  it('safetensors: structured header lies', () => {
    const entry = fc.record({
      dtype: fc.oneof(fc.constantFrom('F32', 'F64', 'F16', 'I8', 'BOOL', 'X'), fc.anything()),
      shape: fc.oneof(fc.array(fc.oneof(fc.nat(), fc.constant(2 ** 40), fc.integer({ min: -5, max: -1 })), { maxLength: 5 }), fc.anything()),
      data_offsets: fc.oneof(fc.tuple(fc.nat(100), fc.nat(100)), fc.tuple(fc.constant(0), fc.constant(2 ** 52)), fc.anything()),
    });
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 8 }), entry, { maxKeys: 4 }), fc.uint8Array({ maxLength: 64 }), (header, data) => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const b = new Uint8Array(8 + h.length + data.length);
      new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
      b.set(h, 8);
      b.set(data, 8 + h.length);
      expectTypedOutcome(() => decodeSafetensors(b));
    }), { numRuns: RUNS });
  });

  it('graph JSON: mutated text', () => {
    const bytes = new TextEncoder().encode(graphText);
    fc.assert(fc.property(mutated(bytes), (b) => expectTypedOutcome(() => graphFromJson(new TextDecoder().decode(b), 'graph.json'))), { numRuns: RUNS });
  });

  it('graph JSON: structurally valid JSON with wrong values', () => {
    const doc = JSON.parse(graphText);
    const paths: [number, string][] = doc.nodes.flatMap((n: { attrs: object }, i: number) => ['op', 'inputs', 'name', ...Object.keys(n.attrs).map((k) => `attrs.${k}`)].map((k) => [i, k] as [number, string]));
    fc.assert(fc.property(fc.constantFrom(...paths), fc.anything(), ([i, key], value) => {
      const d = JSON.parse(graphText);
      const node = d.nodes[i];
      if (key.startsWith('attrs.')) node.attrs[key.slice(6)] = value;
      else node[key] = value;
      expectTypedOutcome(() => graphFromJson(JSON.stringify(d), 'graph.json'));
    }), { numRuns: RUNS });
  });

  it('.npy: mutated and random bytes', () => {
    fc.assert(fc.property(mutated(npyBytes), (b) => expectTypedOutcome(() => decodeNpy(b, 'x.npy'))), { numRuns: RUNS });
  });
});
