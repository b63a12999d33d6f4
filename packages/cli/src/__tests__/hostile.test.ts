/**
 * Hostile files and hostile environments (issue 16): every writing command against every kind of
 * bad target, signals during writes, strict numbers, broken PNGs, size limits, messages.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, watch, writeFileSync,
} from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { main } from '../main.js';
import { EpochProgress } from '../progress.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'convzoo-hostile-'));
/** node:fs as a mutable module object, for injecting errors (syncBuiltinESMExports carries them to ESM importers). */
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
const sh = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;

/** Every file and folder under dir with its kind, inode and device number: what "nothing changed" compares. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(`${p} ${st.mode} ${st.ino} ${st.rdev} ${st.isFile() ? st.size : ''}`);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(dir);
  return out;
}

// Inputs the commands read.
const inputs = join(root, 'inputs');
mkdirSync(inputs);
writeFileSync(join(inputs, 'x.npy'), encodeNpy(randomInput([1, 32, 32, 1], 1)));

/**
 * A read-only folder and a full disk. As root, chmod stops nothing, so the read-only folder is a
 * read-only tmpfs and the full disk a small tmpfs filled up; where mounting is not permitted
 * (no CAP_SYS_ADMIN), the same errors (EROFS, ENOSPC) are injected into node:fs instead.
 */
const readOnly = join(root, 'read-only');
const full = join(root, 'full');
mkdirSync(readOnly);
mkdirSync(full);
const mounted = !process.env.CONVZOO_TEST_INJECT_FS && sh('mount', '-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly)
  && sh('mount', '-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', full);
if (mounted) {
  // Fill it: ENOSPC on the first block anyone else asks for.
  try {
    writeFileSync(join(full, 'filler'), new Uint8Array(1 << 20));
  } catch {
    // expected: the disk is full now
  }
}
const injected = (() => {
  if (mounted) return undefined;
  const real = { openSync: fs.openSync, mkdirSync: fs.mkdirSync, writeSync: fs.writeSync, statfsSync: fs.statfsSync };
  const fullFds = new Set<number>();
  const err = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });
  const under = (p: unknown, dir: string) => typeof p === 'string' && p.startsWith(`${dir}/`);
  return {
    on() {
      Object.assign(fs, {
        openSync: (p: string, ...rest: never[]) => {
          if (under(p, readOnly)) throw err('EROFS', 'read-only file system');
          const fd = (real.openSync as (...a: unknown[]) => number)(p, ...rest);
          if (under(p, full)) fullFds.add(fd);
          return fd;
        },
        mkdirSync: (p: string, ...rest: never[]) => {
          if (under(p, readOnly)) throw err('EROFS', 'read-only file system');
          return (real.mkdirSync as (...a: unknown[]) => unknown)(p, ...rest);
        },
        writeSync: (fd: number, ...rest: never[]) => {
          if (fullFds.has(fd)) throw err('ENOSPC', 'no space left on device');
          return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
        },
        statfsSync: (p: string, ...rest: never[]) => {
          const st = (real.statfsSync as (...a: unknown[]) => import('node:fs').StatsFs)(p, ...rest);
          return under(`${p}/`, full) ? { ...st, bavail: 0 } : st;
        },
      });
      syncBuiltinESMExports();
    },
    off() {
      Object.assign(fs, real);
      syncBuiltinESMExports();
    },
  };
})();

afterAll(() => {
  if (mounted) {
    sh('umount', readOnly);
    sh('umount', full);
  }
});

/** What each writing command is given: `{T}` is the target under test. */
const COMMANDS: Record<string, { argv: string[]; kind: 'file' | 'directory' }> = {
  'export --format graph': { argv: ['export', 'lenet5', '--format', 'graph', '--out', '{T}'], kind: 'file' },
  'export --format safetensors': { argv: ['export', 'lenet5', '--format', 'safetensors', '--out', '{T}'], kind: 'file' },
  'export --format onnx': { argv: ['export', 'lenet5', '--format', 'onnx', '--out', '{T}'], kind: 'file' },
  'export --format triton': { argv: ['export', 'lenet5', '--format', 'triton', '--out', '{T}'], kind: 'directory' },
  'export --format torch': { argv: ['export', 'lenet5', '--format', 'torch', '--out', '{T}'], kind: 'directory' },
  import: { argv: ['import', join(inputs, 'lenet5.onnx'), '--out', '{T}'], kind: 'directory' },
  'predict --output': { argv: ['predict', 'lenet5', '--input', join(inputs, 'x.npy'), '--output', '{T}'], kind: 'file' },
  'eval --predictions': { argv: ['eval', join(inputs, 'model'), '--dataset', 'mnist', '--limit', '20', '--predictions', '{T}'], kind: 'file' },
  train: { argv: ['train', 'lenet5', '--dataset', 'mnist', '--limit', '48', '--epochs', '1', '--batch', '16', '--out', '{T}'], kind: 'directory' },
};

/** Each bad target: how to make it in a fresh folder, and what the one line must say. */
const TARGETS: Record<string, { make(dir: string, kind: 'file' | 'directory', command: string): string | undefined; says: RegExp }> = {
  'a missing folder': {
    // A file output's folder must exist; folder outputs create missing parents (mkdir -p), so
    // for them the path runs through a regular file instead.
    make: (dir, kind) => {
      if (kind === 'file') return join(dir, 'missing', 'out');
      writeFileSync(join(dir, 'plain'), 'x');
      return join(dir, 'plain', 'out');
    },
    says: /no such file or directory|a component of the path is not a directory/,
  },
  'a folder of the wrong kind': {
    // Files: a directory. Folders: one the command must not replace (import's existing DIR,
    // train's model folder, a regular file where triton's REPO/<name> goes, a folder with other
    // files where a torch export goes).
    make: (dir, kind, command) => {
      const t = join(dir, 'target');
      mkdirSync(t);
      if (command === 'train') writeFileSync(join(t, 'graph.json'), '{}');
      if (command === 'export --format triton') writeFileSync(join(t, 'lenet5'), 'x');
      if (command === 'export --format torch') writeFileSync(join(t, 'notes.txt'), 'x');
      return t;
    },
    says: /is a directory; expected a regular file|already exists; choose a new directory|already holds a model|is a regular file; expected a directory|not a torch export folder; choose a new directory/,
  },
  'a character device': {
    make: (dir) => (sh('mknod', join(dir, 'dev'), 'c', '1', '3') ? join(dir, 'dev') : undefined),
    says: /is a character device; expected a (regular file|directory)/,
  },
  'a FIFO': {
    make: (dir) => (sh('mkfifo', join(dir, 'fifo')) ? join(dir, 'fifo') : undefined),
    says: /is a FIFO; expected a (regular file|directory)/,
  },
  'a symbolic link leading out of the folder': {
    make: (dir, kind) => {
      const outside = mkdtempSync(join(root, 'outside-'));
      const target = join(outside, kind === 'file' ? 'victim' : 'victim-dir');
      if (kind === 'file') writeFileSync(target, 'precious');
      else mkdirSync(target);
      symlinkSync(target, join(dir, 'link'));
      return join(dir, 'link');
    },
    says: /is a symbolic link; expected a (regular file|directory)/,
  },
  'a read-only folder': {
    make: () => join(readOnly, 'out'),
    says: /read-only file system/,
  },
  'an empty path': {
    make: () => '',
    says: /empty/,
  },
  'a full disk': {
    make: () => join(full, 'out'),
    says: /no space left on device/,
  },
};

describe('every writing command against every bad target: exit 2, one line, nothing left behind, nothing replaced', () => {
  beforeAll(async () => {
    expect((await run('export', 'lenet5', '--format', 'onnx', '--out', join(inputs, 'lenet5.onnx'))).code).toBe(0);
    mkdirSync(join(inputs, 'model'));
    expect((await run('export', 'lenet5', '--format', 'graph', '--out', join(inputs, 'model', 'graph.json'))).code).toBe(0);
    expect((await run('export', 'lenet5', '--format', 'safetensors', '--out', join(inputs, 'model', 'weights.safetensors'))).code).toBe(0);
  });

  const cases = Object.keys(COMMANDS).flatMap((c) => Object.keys(TARGETS).map((t) => [c, t] as const));
  it.for(cases)(`%s to %s (${mounted ? 'real read-only and full tmpfs' : 'EROFS and ENOSPC injected: tmpfs cannot be mounted here'})`, async ([command, target], ctx) => {
    const { argv, kind } = COMMANDS[command]!;
    const dir = mkdtempSync(join(root, 'case-'));
    const t = TARGETS[target]!.make(dir, kind, command);
    if (t === undefined) return ctx.skip(`${target}: mknod/mkfifo not permitted here`);
    const watched = [dir, readOnly, full, inputs];
    const before = watched.map(snapshot);
    const cwd = readdirSync(process.cwd()).sort();
    const outside = readdirSync(root).filter((n) => n.startsWith('outside-')).map((n) => snapshot(join(root, n)));
    injected?.on();
    let r;
    try {
      r = await run(...argv.map((a) => (a === '{T}' ? t : a)));
    } finally {
      injected?.off();
    }
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(TARGETS[target]!.says);
    expect(watched.map(snapshot)).toEqual(before);
    expect(readdirSync(process.cwd()).sort()).toEqual(cwd);
    expect(readdirSync(root).filter((n) => n.startsWith('outside-')).map((n) => snapshot(join(root, n)))).toEqual(outside);
  });
});

describe('signals during a write leave nothing half-written', () => {
  /** Starts the binary, sends `signal` as soon as a temp file or staging folder shows up in dir. */
  async function interrupt(argv: string[], dir: string, signal: NodeJS.Signals) {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    let sent = false;
    const watcher = watch(dir, (_event, name) => {
      if (!sent && name !== null && String(name).endsWith('.tmp')) {
        sent = true;
        child.kill(signal);
      }
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    watcher.close();
    return { code, stderr, sent };
  }

  it('SIGINT during export: exit 130, no temp file; the output is complete or absent', async () => {
    const dir = mkdtempSync(join(root, 'sigint-'));
    const r = await interrupt(['export', 'alexnet', '--variant', 'torchvision', '--format', 'safetensors', '--out', join(dir, 'a.safetensors')], dir, 'SIGINT');
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted by SIGINT');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    if (existsSync(join(dir, 'a.safetensors'))) {
      expect((await run('summary', 'alexnet', '--variant', 'torchvision', '--json')).code).toBe(0);
      expect(lstatSync(join(dir, 'a.safetensors')).size).toBeGreaterThan(61_000_000 * 4);
    }
  }, 120_000);

  it('SIGTERM during import: exit 143, no staging folder', async () => {
    const dir = mkdtempSync(join(root, 'sigterm-'));
    expect((await run('export', 'alexnet', '--variant', 'torchvision', '--format', 'onnx', '--out', join(dir, 'alexnet.onnx'))).code).toBe(0);
    const out = join(dir, 'imported');
    const r = await interrupt(['import', join(dir, 'alexnet.onnx'), '--out', out], dir, 'SIGTERM');
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(143);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    if (existsSync(out)) expect(readdirSync(out).sort()).toEqual(['graph.json', 'weights.safetensors']);
  }, 180_000);
});

describe('bad input is exit 2 with one line, never an internal error', () => {
  it.each<[string, string[], string]>([
    ['--classes 1e9', ['summary', 'vgg16', '--classes', '1e9'], '--classes must be a decimal integer from 1 to 1,000,000, got "1e9"'],
    ['a head past 2^30 weights', ['summary', 'vgg16', '--classes', '1000000'], 'node "fc8": (Dense) parameter "kernel" [4096, 1000000] holds 4,096,000,000 elements; the limit for one tensor is 1,073,741,824'],
    ['bench --batch 1e9', ['bench', 'lenet5', '--batch', '1e9'], '--batch must be a decimal integer from 1 to 65,536, got "1e9"'],
    ['a batch past the activation limit', ['bench', 'vgg16', '--batch', '65536'], '--batch 65536 is too large for vgg16: its largest activation would hold 210,453,397,504 elements, the limit is 268,435,456 (at most 83)'],
    ['a 20000x20000 input', ['summary', 'lenet5', '--input-shape', '20000,20000,1'], 'holds 400,000,000 elements per sample; the limit is 268,435,456'],
    ['--seed 1e30', ['export', 'lenet5', '--format', 'graph', '--out', 'X', '--seed', '1e30'], '--seed must be a decimal integer from 0 to 4,294,967,295, got "1e30"'],
    ['--seed ""', ['export', 'lenet5', '--format', 'graph', '--out', 'X', '--seed', ''], '--seed must be a decimal integer from 0 to 4,294,967,295, got ""'],
    ['--seed 4294967296', ['export', 'lenet5', '--format', 'graph', '--out', 'X', '--seed', '4294967296'], 'got "4294967296"'],
    ['--seed 0x10', ['export', 'lenet5', '--format', 'graph', '--out', 'X', '--seed', '0x10'], 'got "0x10"'],
    ['--seed -1', ['export', 'lenet5', '--format', 'graph', '--out', 'X', '--seed', '-1'], '--seed must be a decimal integer from 0 to 4,294,967,295, got "-1"'],
    ['--epochs 1e12', ['train', 'lenet5', '--dataset', 'mnist', '--epochs', '1e12', '--out', 'X'], '--epochs must be a decimal integer from 1 to 10,000, got "1e12"'],
    ['--epochs 1000000000000', ['train', 'lenet5', '--dataset', 'mnist', '--epochs', '1000000000000', '--out', 'X'], 'got "1000000000000"'],
    ['an unknown flag', ['export', 'lenet5', '--colour', 'red'], 'convzoo export: unknown flag --colour; convzoo export takes --weights, --variant'],
    ['a flag without its value', ['export', 'lenet5', '--format'], 'convzoo export: --format needs a value (see convzoo export --help)'],
    ['a value for a switch', ['summary', 'lenet5', '--json=yes'], '--json takes no value, got "--json=yes"'],
    ['--gpu with onnx', ['export', 'lenet5', '--format', 'onnx', '--gpu', '--out', 'X'], 'convzoo export: --gpu applies only to --format triton'],
    ['--keep-bn with graph', ['export', 'lenet5', '--format', 'graph', '--keep-bn', '--out', 'X'], '--keep-bn applies only to --format onnx and triton'],
    ['--json with --input', ['predict', 'lenet5', '--input', 'X', '--output', 'Y', '--json'], '--json applies only to --image'],
    ['a missing --out', ['train', 'lenet5', '--dataset', 'mnist'], 'convzoo train: needs --out DIR'],
  ])('%s', async (_name, argv, message) => {
    const dir = mkdtempSync(join(root, 'bad-'));
    const r = await run(...argv.map((a) => (a === 'X' ? join(dir, 'x') : a === 'Y' ? join(dir, 'y') : a)));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/convzoo \w+: convzoo/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--seed takes the whole 32-bit range: 4294967295 differs from 0', async () => {
    const dir = mkdtempSync(join(root, 'seed-'));
    expect((await run('export', 'lenet5', '--format', 'safetensors', '--out', join(dir, 'a'), '--seed', '4294967295')).code).toBe(0);
    expect((await run('export', 'lenet5', '--format', 'safetensors', '--out', join(dir, 'b'), '--seed', '0')).code).toBe(0);
    expect(readFileSync(join(dir, 'a'))).not.toEqual(readFileSync(join(dir, 'b')));
  });

  it('summary builds no weights: vgg19 (575 MB of float32) is summarised from shapes', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const r = await run('summary', 'vgg19', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).params.total).toBe(143_667_240);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 2 ** 20);
  });
});

/** A PNG of a 28x28 gray square, cut in the given way. */
function png(cut: 'no-idat' | 'truncated-idat' | 'short-idat'): Buffer {
  const img = new PNG({ width: 28, height: 28 });
  img.data.fill(200);
  const bytes = PNG.sync.write(img);
  const chunks: Buffer[] = [];
  for (let pos = 8; pos < bytes.length;) {
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const chunk = bytes.subarray(pos, pos + 12 + length);
    if (type !== 'IDAT') chunks.push(chunk);
    else if (cut === 'truncated-idat') chunks.push(chunk.subarray(0, 8 + length), chunk.subarray(8 + length));
    else if (cut === 'short-idat') {
      // a complete deflate stream of only the first 10 rows
      const body = deflateSync(Buffer.alloc(10 * (1 + 28 * 4)));
      const head = Buffer.alloc(8);
      head.writeUInt32BE(body.length, 0);
      head.write('IDAT', 4, 'latin1');
      chunks.push(head, body, Buffer.alloc(4));
    }
    pos += 12 + length;
  }
  if (cut === 'truncated-idat') {
    // the IDAT's data cut in half, its length field saying so
    const i = chunks.findIndex((c) => c.length > 8 && c.toString('latin1', 4, 8) === 'IDAT');
    const data = chunks[i]!.subarray(8, 8 + Math.floor((chunks[i]!.length - 8) / 2));
    const head = Buffer.from(chunks[i]!.subarray(0, 8));
    head.writeUInt32BE(data.length, 0);
    chunks.splice(i, 2, head, data, Buffer.alloc(4));
  }
  return Buffer.concat([bytes.subarray(0, 8), ...chunks]);
}

describe('PNG input', () => {
  it.each<[Parameters<typeof png>[0], string]>([
    ['no-idat', 'not a readable PNG: no image data (no IDAT chunk)'],
    ['truncated-idat', 'not a readable PNG: the IDAT image data is truncated or corrupt'],
    ['short-idat', 'not a readable PNG: the IDAT image data holds 1130 of the 3164 bytes the 28x28 image needs (truncated)'],
  ])('%s is refused instead of predicting on a blank or partial image', async (cut, message) => {
    const file = join(mkdtempSync(join(root, 'png-')), `${cut}.png`);
    writeFileSync(file, png(cut));
    const r = await run('predict', 'lenet5', '--image', file);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(`convzoo predict: ${file}: ${message}`);
  });
});

describe('smaller things', () => {
  it('--version prints the package version; help <command> prints that command\'s usage', async () => {
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    expect((await run('--version')).stdout.trim()).toBe(version);
    const help = await run('help', 'train');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^convzoo train <arch>/);
  });

  it('NaN in an input .npy is a warning naming the file and the first bad index', async () => {
    const dir = mkdtempSync(join(root, 'nan-'));
    const x = randomInput([1, 32, 32, 1], 2);
    x.data[5] = Number.NaN;
    writeFileSync(join(dir, 'x.npy'), encodeNpy(x));
    const r = await run('predict', 'lenet5', '--input', join(dir, 'x.npy'), '--output', join(dir, 'y.npy'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(dir, 'x.npy')} holds 1 NaN or infinite value(s) (the first at flat index 5)`);
  });

  it('the first progress line counts the first batch\'s time', () => {
    const lines: string[] = [];
    const p = new EpochProgress(0, 1, 320, (t) => lines.push(t), false, performance.now() - 1000);
    p.batch(32, 1, 0.5);
    const rate = Number(/(\d+) samples\/s/.exec(lines[0]!)![1]);
    expect(rate).toBeGreaterThan(25);
    expect(rate).toBeLessThan(40);
  });
});
