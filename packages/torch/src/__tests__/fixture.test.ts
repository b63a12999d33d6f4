/**
 * What CI checks without torch: the generated module of LeNet-5 and of a 32x32 ResNet-18 is the
 * committed one (fixtures/<name>.py, which torch ran in scripts/make-fixtures.mjs), and convzoo's
 * outputs for the same weights and input are torch's (fixtures/parity.json) within 1e-4
 * (max|a - b| / max|b|) on ort-cpu and tfjs-cpu. The generated text of every registry variant is
 * pinned by its hash, so any change to it is reviewed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ort } from '@convzoo/backend-ort';
import { tfjs } from '@convzoo/backend-tfjs';
import { maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MODELS, INPUT_SEED, VARIANTS } from '../../scripts/harness.mjs';
import { torchModule } from '../index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const parity = JSON.parse(fixture('parity.json')) as Record<string, { inputSeed: number; shape: number[]; output: number[] }>;

describe('committed fixtures: the generated module as torch ran it', () => {
  it.each(Object.entries(FIXTURE_MODELS))('%s: same Python text, and torch\'s outputs within 1e-4 on ort-cpu and tfjs-cpu', { timeout: 120_000 }, async (name, build) => {
    const model = build();
    expect(torchModule(model).source, 'generated text changed: rerun scripts/make-fixtures.mjs with torch').toBe(fixture(`${name}.py`));
    const expected = parity[name]!;
    expect(expected.inputSeed).toBe(INPUT_SEED);
    const input = randomInput([2, ...model.inputShape], INPUT_SEED);
    for (const backend of [ort({ device: 'cpu' }), tfjs({ device: 'cpu' })]) {
      const compiled = await backend.compile(model);
      const [ours] = await compiled.predict(input);
      await compiled.dispose();
      expect(ours!.shape).toEqual(expected.shape);
      expect(maxRelDiff(ours!.data, Float32Array.from(expected.output))).toBeLessThan(1e-4);
    }
  });
});

describe('generated Python text per registry variant', () => {
  it('is pinned by its sha256 (a change shows up here for review)', { timeout: 300_000 }, () => {
    const hashes = Object.fromEntries(Object.entries(VARIANTS).map(([name, build]) =>
      [name, createHash('sha256').update(torchModule(build()).source).digest('hex').slice(0, 16)]));
    expect(hashes).toMatchSnapshot();
  });
});
