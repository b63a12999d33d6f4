/** The README's example, run as written with node in a folder that resolves the packages as an installed project would. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@convzoo/arch-lenet';
import { create, decodeSafetensors } from '@convzoo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { torchModule, trainDdpScript } from '../index.js';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'convzoo-torch-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README example', () => {
  it('runs as written and writes the module, its weights and train_ddp.py', () => {
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    const code = /## Example\n\n```js\n([\s\S]*?)```/.exec(readme)![1]!;
    mkdirSync(join(dir, 'node_modules', '@convzoo'), { recursive: true });
    for (const name of ['core', 'arch-lenet', 'weights']) symlinkSync(join(pkg, 'node_modules', '@convzoo', name), join(dir, 'node_modules', '@convzoo', name));
    symlinkSync(pkg, join(dir, 'node_modules', '@convzoo', 'torch'));
    writeFileSync(join(dir, 'example.mjs'), code);
    expect(execFileSync('node', ['example.mjs'], { cwd: dir, encoding: 'utf8' })).toBe('Lenet5 c3\n');
    expect(readFileSync(join(dir, 'lenet5-torch', 'model.py'), 'utf8')).toBe(torchModule(create('lenet5')).source);
    expect(readFileSync(join(dir, 'lenet5-torch', 'train_ddp.py'), 'utf8')).toBe(trainDdpScript());
    expect(decodeSafetensors(readFileSync(join(dir, 'lenet5-torch', 'model.safetensors'))).tensors.get('c3.weight')!.shape).toEqual([16, 6, 5, 5]);
  });
});
