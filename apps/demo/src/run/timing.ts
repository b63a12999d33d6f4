/**
 * Latency of a compiled model: one warm-up call (shader compiles, first allocations), then the
 * median of up to `runs` calls, fewer when they pass `budgetMs` together.
 */
import type { CompiledModel, TensorData } from '@convzoo/core';

export interface Timed {
  readonly outputs: TensorData[];
  /** Median wall time of the timed runs, ms. */
  readonly medianMs: number;
  readonly runs: number;
  /** The warm-up call, ms. */
  readonly firstMs: number;
}

export async function timePredict(compiled: CompiledModel, input: TensorData, runs: number, budgetMs: number): Promise<Timed> {
  let t0 = performance.now();
  let outputs = await compiled.predict(input);
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < runs && total < budgetMs; i++) {
    t0 = performance.now();
    outputs = await compiled.predict(input);
    times.push(performance.now() - t0);
    total += times[i]!;
  }
  times.sort((a, b) => a - b);
  return { outputs, firstMs, medianMs: times[Math.floor(times.length / 2)]!, runs: times.length };
}
