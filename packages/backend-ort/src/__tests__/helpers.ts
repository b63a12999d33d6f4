/** Shared by the tests: run a model on ort-cpu and on core's float64 reference. */
import { maxRelDiff, type Model, type TensorData } from '@convzoo/core';
import { randomInput, referencePredict } from '@convzoo/core/testing';
import { tfjs } from '@convzoo/backend-tfjs';
import { ort, type OrtCompileOptions } from '../index.js';

// One intra-op thread: no spinning thread pool competing with tfjs or parallel test files.
export const cpu = ort({ device: 'cpu', threads: 1 });
const wasm = tfjs({ device: 'wasm' });

/** The same model on tfjs-wasm: the other backend every output is held against. */
export async function tfjsWasmPredict(model: Model, input: TensorData): Promise<TensorData[]> {
  const compiled = await wasm.compile(model);
  try {
    return await compiled.predict(input);
  } finally {
    await compiled.dispose();
  }
}

export async function ortPredict(model: Model, input: TensorData, opts: OrtCompileOptions = {}): Promise<TensorData[]> {
  const compiled = await cpu.compile(model, opts);
  try {
    return await compiled.predict(input);
  } finally {
    await compiled.dispose();
  }
}

/** max|ort - reference| / max|reference| over every output, after checking shapes agree. */
export async function ortVsReference(model: Model, opts: OrtCompileOptions = {}, batch = 2, seed = 3): Promise<number> {
  const input = randomInput([batch, ...model.inputShape], seed);
  const outs = await ortPredict(model, input, opts);
  const refs = referencePredict(model, input);
  if (outs.length !== refs.length) throw new Error(`ort gave ${outs.length} outputs, reference ${refs.length}`);
  return Math.max(...outs.map((o, i) => {
    if (o.shape.join() !== refs[i]!.shape.join()) throw new Error(`output ${i}: ort shape [${o.shape}] vs reference [${refs[i]!.shape}]`);
    return maxRelDiff(o.data, refs[i]!.data);
  }));
}
