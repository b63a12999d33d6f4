/**
 * `convzoo bench`: one architecture's inference time on several backends, timed in ABBA blocks
 * (A B B A, or A B C C B A for three) so that slow drift of a shared machine's load falls on every
 * contender alike. The timing loop and the machine line are in ../bench-kit.ts, which bench/ imports too.
 */
import { maxRelDiff, rng, sizeOf, type Backend, type CompiledModel, type TensorData } from '@convzoo/core';
import type { Command } from '../command.js';
import { MAX_BATCH, int } from '../args.js';
import { BACKEND_NAMES, createBackend, type BackendName } from '../backends.js';
import { abba, machine, machineLine, ORT_NO_SPIN } from '../bench-kit.js';
import { MODEL_OPTIONS, checkBatch, resolveModel } from '../models.js';
import { printJson } from '../output.js';
import { UsageError } from '../errors.js';

async function benchBackend(name: BackendName, shared: boolean): Promise<Backend> {
  if (shared && name.startsWith('ort')) {
    const { ort } = await import('@convzoo/backend-ort');
    return ort({ device: name === 'ort-cpu' ? 'cpu' : 'cuda', sessionOptions: ORT_NO_SPIN });
  }
  return createBackend(name);
}

function backendList(value: string | boolean | undefined): BackendName[] {
  const names = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : ['tfjs-wasm', 'ort-cpu'];
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) throw new UsageError(`--backends: unknown backend "${n}"; expected a comma-separated list of ${BACKEND_NAMES.join(', ')}`);
  }
  if (new Set(names).size !== names.length) throw new UsageError(`--backends lists a backend twice: ${names.join(',')}`);
  return names as BackendName[];
}

export const benchCommand: Command = {
  name: 'bench',
  description: 'time inference of a model on several backends (ABBA order, fastest and median)',
  usage: `convzoo bench <arch|model-dir> [--backends tfjs-wasm,ort-cpu] [--batch B] [--rounds R] [--warmup W] [--json]
              [--variant V] [--seed S] [--input-shape H,W,C] [--classes N] [--no-aux]

  --backends LIST   comma-separated, from ${BACKEND_NAMES.join(', ')} (default tfjs-wasm,ort-cpu)
  --batch B         batch size, 1 to 65,536 and within the activation limit (default 1)
  --rounds R        ABBA blocks, 1 to 10,000; each backend runs 2 x R timed predicts (default 5)
  --warmup W        untimed predicts per backend first, 0 to 10,000 (default 1)
  --json            one JSON document: { machine, model, batch, macs, results: [{ backend, fastestMs,
                    medianMs, runsMs, gflops, ratio, agreement }] }; ratio is the fastest time over
                    the first backend's, agreement max|a-b|/max|b| of the outputs against the first's

Progress lines go to stderr. Each predict includes the input upload and output download.`,
  options: { ...MODEL_OPTIONS, backends: { type: 'string' }, batch: { type: 'string' }, rounds: { type: 'string' }, warmup: { type: 'string' }, json: { type: 'boolean' } },
  positionals: 1,
  async run({ positionals, values }, io) {
    const names = backendList(values.backends);
    const batch = int(values.batch, '--batch', 1, MAX_BATCH) ?? 1;
    const rounds = int(values.rounds, '--rounds', 1, 10_000) ?? 5;
    const warmup = int(values.warmup, '--warmup', 0, 10_000) ?? 1;
    const model = resolveModel(positionals[0]!, values, io.err);
    checkBatch(model, batch);
    const macs = model.summary().macs * batch;
    const next = rng(0, 'bench');
    const input: TensorData = { shape: [batch, ...model.inputShape], data: Float32Array.from({ length: batch * sizeOf(model.inputShape) }, () => next() * 2 - 1) };
    const compiled: CompiledModel[] = [];
    for (const name of names) compiled.push(await (await benchBackend(name, names.length > 1)).compile(model));
    try {
      const outputs: ArrayLike<number>[] = [];
      for (const c of compiled) outputs.push((await c.predict(input))[0]!.data);
      const timings = await abba(
        names.map((name, i) => ({ name, run: () => compiled[i]!.predict(input) })),
        { rounds, warmup, onRun: (name, ms, done, total) => io.err(`bench ${positionals[0]} batch ${batch}: ${done}/${total} ${name} ${ms.toFixed(1)} ms`) },
      );
      const m = machine();
      const results = timings.map((t, i) => ({
        backend: t.name,
        fastestMs: t.fastestMs,
        medianMs: t.medianMs,
        runsMs: t.runsMs,
        gflops: (2 * macs) / (t.fastestMs * 1e6),
        ratio: t.fastestMs / timings[0]!.fastestMs,
        agreement: maxRelDiff(outputs[i]!, outputs[0]!),
      }));
      if (values.json) return printJson(io, { machine: m, model: model.name, batch, macs, rounds, results });
      io.out(machineLine(m));
      io.out(`${model.name}, batch ${batch}, ${(macs / 1e9).toFixed(2)} GMACs; ${2 * rounds} timed runs each after ${warmup} warm-up`);
      io.out(['backend'.padEnd(10), 'fastest ms', ' median ms', '   GFLOP/s', ' ratio', 'agreement'].join('  '));
      for (const r of results) {
        io.out([r.backend.padEnd(10), r.fastestMs.toFixed(1).padStart(10), r.medianMs.toFixed(1).padStart(10), r.gflops.toFixed(1).padStart(10), r.ratio.toFixed(2).padStart(6), r.agreement.toExponential(1)].join('  '));
      }
    } finally {
      for (const c of compiled) await c.dispose();
    }
  },
};
