/** Test support: the generated module written out and run by Debian's torch (when it is there). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, encodeSafetensors, type Model, type TensorData } from '@convzoo/core';
import { torchStateDict } from '@convzoo/weights';
import { torchModule } from '../index.js';

export const PYTHON = '/usr/bin/python3';
const RUNNER = new URL('../../scripts/run-module.py', import.meta.url).pathname;

/** Why the torch tests are skipped, or undefined when /usr/bin/python3 imports torch and numpy. */
export function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  return r.status === 0 ? undefined : `${PYTHON} cannot import torch: ${r.stderr.trim().split('\n').pop()}`;
}

/** The generated module with the model's exported weights, run by torch on an NHWC input: its first output. */
export function torchPredict(model: Model, input: TensorData): TensorData {
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-torch-'));
  try {
    writeFileSync(join(dir, 'model.py'), torchModule(model).source);
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(torchStateDict(model)));
    writeFileSync(join(dir, 'input.npy'), encodeNpy(input));
    execFileSync(PYTHON, [RUNNER, dir, join(dir, 'model.safetensors'), join(dir, 'input.npy'), join(dir, 'output.npy')], { stdio: ['ignore', 'ignore', 'inherit'] });
    return decodeNpy(readFileSync(join(dir, 'output.npy')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
