/**
 * What every bench section shares. The ABBA timing loop and the machine line are the CLI's
 * (`convzoo bench` times backends with them), from its public bench-kit subpath rather than copied.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { abba, machine, machineLine, median, ORT_NO_SPIN } from '@convzoo/cli/bench-kit';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const CACHE_DIR = fileURLToPath(new URL('.cache/', import.meta.url));
/** Debian's python3-torch lives beside the system python, not pyenv's. */
export const PYTHON = '/usr/bin/python3';

const require = createRequire(import.meta.url);
const cliManifest = require.resolve('@convzoo/cli/package.json');
/** The `convzoo` executable, found through the CLI package's "bin" as an installed package would be. */
export const CLI = join(dirname(cliManifest), JSON.parse(readFileSync(cliManifest, 'utf8')).bin.convzoo);

/** Progress on stderr, so that stdout stays the result. */
export const progress = (text) => process.stderr.write(`[bench] ${text}\n`);

/** Runs a command to completion; stdout as text, or the reason it failed. */
export function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) return { ok: false, reason: r.error.message, seconds };
  if (r.status !== 0) return { ok: false, reason: `${cmd} ${args.join(' ')} exited with ${r.status}`, stdout: r.stdout, seconds };
  return { ok: true, stdout: r.stdout, seconds };
}

/** Why PyTorch contenders cannot run here, or undefined when they can. */
export function torchMissing() {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = run(PYTHON, ['-c', 'import torch, torchvision'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return r.ok ? undefined : 'torch/torchvision are not installed for /usr/bin/python3 (apt-get install python3-torch python3-torchvision)';
}

/** Seeded uniform [-1, 1) data of `length` floats. */
export function randomFloats(length, seed = 1) {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

export const ms = (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
export const ratio = (v) => v.toFixed(3);

/** BENCHMARKS.md at the repository root. */
export const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

/** The sections that runs of their own write (`<!-- NAME:start ... -->` to `<!-- NAME:end -->`), which `pnpm bench` keeps as they stand. */
export const OWN_SECTIONS = /<!-- ([\w-]+):start[\s\S]*?<!-- \1:end -->\n?/g;

/** Writes (or replaces) one such section of BENCHMARKS.md. */
export function writeBenchmarksSection(name, section, file = BENCHMARKS_MD) {
  const md = readFileSync(file, 'utf8');
  const start = md.indexOf(`<!-- ${name}:start`);
  const endMark = `<!-- ${name}:end -->`;
  const end = md.indexOf(endMark);
  writeFileSync(file, start >= 0 && end > start ? `${md.slice(0, start)}${section}${md.slice(end + endMark.length)}` : `${md.trimEnd()}\n\n${section}\n`);
}
