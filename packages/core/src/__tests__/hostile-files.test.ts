/**
 * Hostile targets and hostile sizes (issue 16): special files as write targets, temp files on
 * every error path, activation and parameter limits at validation, summaries without weights.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, MAX_ACTIVATION_ELEMENTS, Model, graphFromJson, graphToJson } from '../index.js';
import { prepareOutputDir, readFileChecked, removePendingWrites, writeDirAtomic, writeFileAtomic } from '../node.js';

/** node:fs as a mutable module object, for injecting errors (syncBuiltinESMExports carries them to ESM importers). */
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
const tmp = () => mkdtempSync(join(tmpdir(), 'hostile-'));

/** A character device (we run as root in the container) or undefined where mknod is refused. */
function charDevice(dir: string): string | undefined {
  const path = join(dir, 'null-like');
  return spawnSync('mknod', [path, 'c', '1', '3']).status === 0 ? path : undefined;
}

function fifo(dir: string): string {
  const path = join(dir, 'pipe');
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
}

describe('writeFileAtomic refuses targets that are not regular files', () => {
  it('a character device stays a device, with no temp file left', (ctx) => {
    const dir = tmp();
    const dev = charDevice(dir);
    if (dev === undefined) return ctx.skip('mknod is not permitted here (needs root)');
    expect(() => writeFileAtomic(dev, 'x')).toThrow(`${dev}: is a character device; expected a regular file or a new path`);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null-like']);
  });

  it.each([
    ['a FIFO', (d: string) => fifo(d), 'is a FIFO'],
    ['a directory', (d: string) => { mkdirSync(join(d, 'sub')); return join(d, 'sub'); }, 'is a directory'],
    ['a symbolic link', (d: string) => { symlinkSync('/etc/hostname', join(d, 'link')); return join(d, 'link'); }, 'is a symbolic link'],
  ])('%s is refused and left as it was', (_name, make, message) => {
    const dir = tmp();
    const target = make(dir);
    const before = lstatSync(target);
    expect(() => writeFileAtomic(target, 'x')).toThrow(`${target}: ${message}; expected a regular file or a new path`);
    const after = lstatSync(target);
    expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('an empty path is refused (it would write a temp file into the working directory)', () => {
    expect(() => writeFileAtomic('', 'x')).toThrow('the output path is empty; expected a file path');
  });

  it('a full disk leaves no temp file and says so', () => {
    const dir = tmp();
    const real = fs.writeSync;
    fs.writeSync = (() => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); }) as typeof fs.writeSync;
    syncBuiltinESMExports();
    try {
      expect(() => writeFileAtomic(join(dir, 'a.bin'), new Uint8Array(10))).toThrow(`${join(dir, 'a.bin')}: cannot write: no space left on device`);
    } finally {
      fs.writeSync = real;
      syncBuiltinESMExports();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removePendingWrites deletes the temp file of a write in progress (what a signal handler calls)', () => {
    const dir = tmp();
    let seen: string[] = [];
    function* chunks() {
      yield new Uint8Array(4);
      seen = readdirSync(dir);
      removePendingWrites();
      throw new Error('stopped');
    }
    expect(() => writeFileAtomic(join(dir, 'w.bin'), chunks())).toThrow('stopped');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^\.w\.bin\.\d+\.\d+\.tmp$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('readFileChecked', () => {
  it('refuses a FIFO instead of blocking on it', () => {
    const path = fifo(tmp());
    expect(() => readFileChecked(path)).toThrow(`${path}: is a FIFO; expected a regular file`);
  });
});

describe('writeDirAtomic and prepareOutputDir', () => {
  it('a failing build leaves neither the staging folder nor the parents it created', () => {
    const root = tmp();
    expect(() => writeDirAtomic(join(root, 'a', 'b', 'out'), (s) => {
      writeFileSync(join(s, 'half'), 'x');
      throw new Error('build failed');
    })).toThrow('build failed');
    expect(readdirSync(root)).toEqual([]);
  });

  it('replace keeps the previous folder when the build fails, and swaps it when it succeeds', () => {
    const root = tmp();
    const dir = join(root, 'repo');
    writeDirAtomic(dir, (s) => writeFileSync(join(s, 'v'), '1'));
    expect(() => writeDirAtomic(dir, () => { throw new Error('no'); }, { replace: true })).toThrow('no');
    expect(readFileSync(join(dir, 'v'), 'utf8')).toBe('1');
    writeDirAtomic(dir, (s) => writeFileSync(join(s, 'v'), '2'), { replace: true });
    expect(readdirSync(root)).toEqual(['repo']);
    expect(readFileSync(join(dir, 'v'), 'utf8')).toBe('2');
    expect(() => writeDirAtomic(dir, () => {})).toThrow(`${dir}: already exists; choose a new directory`);
  });

  it('refuses special files and symbolic links as folders', (ctx) => {
    const root = tmp();
    symlinkSync(tmpdir(), join(root, 'out-link'));
    expect(() => writeDirAtomic(join(root, 'out-link'), () => {}, { replace: true })).toThrow('is a symbolic link; expected a directory or a new path');
    expect(() => prepareOutputDir(fifo(root))).toThrow('is a FIFO; expected a directory or a new path');
    const dev = charDevice(root);
    if (dev === undefined) return ctx.skip('mknod is not permitted here (needs root)');
    expect(() => prepareOutputDir(dev)).toThrow('is a character device; expected a directory or a new path');
  });

  it('prepareOutputDir refuses a file system without the room needed, removing the folder it made', () => {
    const root = tmp();
    expect(() => prepareOutputDir(join(root, 'run'), Number.MAX_SAFE_INTEGER)).toThrow(/run: cannot write: no space left on device \(needs about .* MiB, .* MiB free\)/);
    expect(existsSync(join(root, 'run'))).toBe(false);
    expect(prepareOutputDir(join(root, 'run'), 1)).toBe(join(root, 'run'));
  });
});

describe('activation and parameter limits (checked whenever a graph is validated)', () => {
  it('a 20000x20000 input in graph JSON is refused at load, naming the node and the limit', () => {
    const g = new GraphBuilder('big');
    const json = JSON.parse(graphToJson(g.build([g.flatten(g.input([2, 2, 1]))])));
    json.nodes[0].attrs.shape = [20000, 20000, 3];
    expect(() => graphFromJson(JSON.stringify(json), 'graph.json')).toThrow(
      `graph.json: node "input": (Input) output [20000, 20000, 3] holds 1,200,000,000 elements per sample; the limit is ${MAX_ACTIVATION_ELEMENTS.toLocaleString('en-US')}`,
    );
  });

  it('a convolution padded by 60,000 is refused while the graph is built', () => {
    const g = new GraphBuilder('pads');
    expect(() => g.conv2d(g.input([8, 8, 3]), { filters: 8, kernelSize: 3, padding: [[60_000, 60_000], [60_000, 60_000]], name: 'c' }))
      .toThrow(/node "c": \(Conv2D\) output \[120006, 120006, 8\] holds 115,211,520,288 elements per sample; the limit is 268,435,456/);
  });

  it('a parameter tensor past 2^30 elements is refused', () => {
    const g = new GraphBuilder('head');
    expect(() => g.dense(g.flatten(g.input([64, 64, 1])), { units: 1_000_000, name: 'fc' }))
      .toThrow('node "fc": (Dense) parameter "kernel" [4096, 1000000] holds 4,096,000,000 elements; the limit for one tensor is 1,073,741,824');
  });
});

describe('messages', () => {
  it('a dilated kernel that does not fit says how far it spans', () => {
    const g = new GraphBuilder('dil');
    expect(() => g.conv2d(g.input([4, 4, 1]), { filters: 1, kernelSize: 3, dilation: 2, name: 'c' }))
      .toThrow('kernel 3x3, dilation 2x2 (spanning 5x5) does not fit input 4x4x1');
  });
});

describe('summaries from shapes', () => {
  it('Model.init makes no weights until they are used', () => {
    // 1024 -> 200,000: 205 million parameters, 820 MB had init built them
    const g = new GraphBuilder('wide');
    const graph = g.build([g.dense(g.flatten(g.input([32, 32, 1])), { units: 200_000, name: 'fc' })]);
    const before = process.memoryUsage().arrayBuffers;
    const s = Model.init(graph, 0).summary();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 2 ** 20);
    expect(s.params.total).toBe(1024 * 200_000 + 200_000);
  });

  it('lazily made weights are the same bytes as before', () => {
    const g = new GraphBuilder('small');
    const graph = g.build([g.dense(g.flatten(g.input([2, 2, 1])), { units: 3, name: 'fc' })]);
    const a = Model.init(graph, 7);
    expect(a.weights.get('fc/kernel')).toBe(a.weights.get('fc/kernel'));
    expect(new Model(graph, a.weights).weights.get('fc/kernel')!.data).toEqual(Model.init(graph, 7).weights.get('fc/kernel')!.data);
  });
});
