/**
 * `convzoo bench`: one architecture's inference time on several backends, timed in ABBA blocks
 * (A B B A, or A B C C B A for three) so that slow drift of a shared machine's load falls on every
 * contender alike. The timing loop and the machine line are exported for bench/ to reuse.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { maxRelDiff, rng, sizeOf, type Backend, type CompiledModel, type TensorData } from '@convzoo/core';
import type { Command } from '../command.js';
import { MAX_BATCH, int } from '../args.js';
import { BACKEND_NAMES, createBackend, type BackendName } from '../backends.js';
import { MODEL_OPTIONS, checkBatch, resolveModel } from '../models.js';
import { printJson } from '../output.js';
import { UsageError } from '../errors.js';

export interface Contender {
  readonly name: string;
  run(): unknown;
}

export interface Timing {
  readonly name: string;
  /** Every timed run, in milliseconds, in the order run. */
  readonly runsMs: number[];
  readonly fastestMs: number;
  readonly medianMs: number;
}

export interface AbbaOptions {
  /** Blocks of forward-then-reverse order; each contender runs 2 x rounds timed times. */
  readonly rounds: number;
  /** Untimed runs of each contender first (default 1). */
  readonly warmup?: number;
  /** Called after each timed run (progress lines). */
  readonly onRun?: (name: string, ms: number, done: number, total: number) => void;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Times the contenders in ABBA blocks after a warm-up; fastest and median of each. */
export async function abba(contenders: readonly Contender[], opts: AbbaOptions): Promise<Timing[]> {
  if (contenders.length === 0 || !(Number.isInteger(opts.rounds) && opts.rounds >= 1)) {
    throw new UsageError(`abba needs at least one contender and rounds >= 1, got ${contenders.length} and ${opts.rounds}`);
  }
  for (let w = 0; w < (opts.warmup ?? 1); w++) for (const c of contenders) await c.run();
  const runs = new Map(contenders.map((c) => [c.name, [] as number[]]));
  const order = [...contenders, ...[...contenders].reverse()];
  const total = opts.rounds * order.length;
  let done = 0;
  for (let r = 0; r < opts.rounds; r++) {
    for (const c of order) {
      const t0 = performance.now();
      await c.run();
      const ms = performance.now() - t0;
      runs.get(c.name)!.push(ms);
      opts.onRun?.(c.name, ms, ++done, total);
    }
  }
  return contenders.map((c) => {
    const runsMs = runs.get(c.name)!;
    return { name: c.name, runsMs, fastestMs: Math.min(...runsMs), medianMs: median(runsMs) };
  });
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly mhz: number;
  /** The SIMD flags that set the fp32 peak. */
  readonly flags: string[];
  /** cores x clock x 2 FMA units x SIMD lanes x 2 flops: an estimate, the clock being the nominal one. */
  readonly peakGflops: number;
  readonly node: string;
  readonly loadAverage: number[];
}

const SIMD_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx512_bf16', 'amx_tile'];

export function machine(): Machine {
  const cpus = os.cpus();
  let flags: string[] = [];
  let mhz = cpus[0]?.speed ?? 0;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8').split('\n');
    const field = (name: string) => info.find((l) => l.startsWith(name))?.split(':')[1]?.trim();
    const all = new Set(field('flags')?.split(/\s+/) ?? []);
    flags = SIMD_FLAGS.filter((f) => all.has(f));
    // os.cpus() reports 0 MHz in some VMs; /proc/cpuinfo still has the nominal clock
    if (mhz === 0) mhz = Math.round(Number(field('cpu MHz') ?? 0));
  } catch {
    // no /proc (macOS, Windows): the peak falls back to 8 lanes (AVX2) below
  }
  const lanes = flags.includes('avx512f') ? 16 : flags.includes('avx2') || flags.length === 0 ? 8 : 4;
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    mhz,
    flags,
    peakGflops: (cpus.length * mhz * 1e6 * 2 * lanes * 2) / 1e9,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function machineLine(m: Machine, libraries: Record<string, string> = {}): string {
  const libs = Object.entries(libraries).map(([k, v]) => `${k} ${v}`);
  return [`${m.cpu}, ${m.cores} cores at ${m.mhz} MHz (${m.flags.join(' ')}; fp32 peak ~${m.peakGflops.toFixed(0)} GFLOP/s)`, `node ${m.node}`, ...libs, `load ${m.loadAverage.join(' ')}`].join(', ');
}

/** ONNX Runtime's intra-op threads spin after each run; with another contender in the process they would steal its cores. */
export const ORT_NO_SPIN = { extra: { session: { intra_op: { allow_spinning: '0' } } } } as const;

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
    const model = resolveModel(positionals[0]!, values);
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
