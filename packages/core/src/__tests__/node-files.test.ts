import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConvzooError, GraphBuilder, Model } from '../index.js';
import { loadModelDir, saveModelDir, writeFileAtomic } from '../node.js';

const dist = fileURLToPath(new URL('../../dist/node.js', import.meta.url));

describe('atomic writes', () => {
  it('a writer killed mid-way leaves the previous file intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(dir, 'weights.bin');
    writeFileSync(target, 'previous version');
    // A child streams 64 MiB chunks slowly into the same path; it is killed once data is on disk.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      import { writeFileAtomic } from ${JSON.stringify(dist)};
      function* slow() { for (let i = 0; i < 1000; i++) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); yield new Uint8Array(1 << 20).fill(7); } }
      writeFileAtomic(${JSON.stringify(target)}, slow());
    `], { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    let partial: string | undefined;
    while (Date.now() < deadline) {
      partial = readdirSync(dir).find((f) => f.endsWith('.tmp'));
      if (partial && statSync(join(dir, partial)).size > 4 << 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(partial).toBeDefined();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readFileSync(target, 'utf8')).toBe('previous version');
  }, 30_000);

  it('replaces the file whole and leaves no temp file on success', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileAtomic(join(dir, 'a.txt'), 'one');
    writeFileAtomic(join(dir, 'a.txt'), [new TextEncoder().encode('tw'), new TextEncoder().encode('o')]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('a failing producer leaves nothing and keeps its own error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    function* failing() {
      yield new Uint8Array(10);
      throw new ConvzooError('UNSUPPORTED', 'encoder refused');
    }
    expect(() => writeFileAtomic(join(dir, 'x'), failing())).toThrow('encoder refused');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('model directories', () => {
  it('save then load gives the same graph and weights', () => {
    const g = new GraphBuilder('dir');
    const m = Model.init(g.build([g.dense(g.flatten(g.input([2, 2, 1])), { units: 3, name: 'fc' })]), 9);
    const dir = join(mkdtempSync(join(tmpdir(), 'model-')), 'm');
    saveModelDir(m, dir);
    const back = loadModelDir(dir);
    expect(back.graph).toEqual(JSON.parse(JSON.stringify(m.graph)));
    expect(back.weights.get('fc/kernel')).toEqual(m.weights.get('fc/kernel'));
  });

  it('names what is missing or broken', () => {
    const root = mkdtempSync(join(tmpdir(), 'model-'));
    expect(() => loadModelDir(join(root, 'none'))).toThrow(/none: not a model directory \(expected graph.json and weights.safetensors\)/);
    const dir = join(root, 'half');
    mkdirSync(dir);
    const g = new GraphBuilder('dir');
    saveModelDir(Model.init(g.build([g.dense(g.flatten(g.input([2, 2, 1])), { units: 3, name: 'fc' })]), 9), dir);
    writeFileSync(join(dir, 'weights.safetensors'), 'garbage!');
    expect(() => loadModelDir(dir)).toThrow(/weights.safetensors: header length \d+ exceeds the limit/);
    expect(existsSync(join(dir, 'graph.json'))).toBe(true);
  });
});
