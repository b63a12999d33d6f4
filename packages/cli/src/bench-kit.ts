/**
 * The bench kit (`@convzoo/cli/bench-kit`): the ABBA timing loop, the machine line and the ONNX
 * Runtime no-spin session options, shared by `convzoo bench` and the repository's bench/ suite.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { UsageError } from './errors.js';

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
