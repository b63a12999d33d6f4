// Dev-time (needs /usr/bin/python3 with torch; never run in CI): writes the fixtures that
// src/__tests__/fixture.test.ts checks without torch: the generated module of LeNet-5 and of a
// 32x32 ResNet-18 (src/__tests__/fixtures/<name>.py) and torch's outputs for them with the
// exported weights on a seeded input (fixtures/parity.json).
//
// usage (after building): node scripts/make-fixtures.mjs
import { writeFileSync } from 'node:fs';
import { randomInput } from '@convzoo/core/testing';
import { torchModule } from '@convzoo/torch';
import { FIXTURE_MODELS, INPUT_SEED, torchPredict } from './harness.mjs';

const dir = new URL('../src/__tests__/fixtures/', import.meta.url);
const parity = {};
for (const [name, build] of Object.entries(FIXTURE_MODELS)) {
  const model = build();
  writeFileSync(new URL(`${name}.py`, dir), torchModule(model).source);
  const output = torchPredict(model, randomInput([2, ...model.inputShape], INPUT_SEED));
  parity[name] = { inputSeed: INPUT_SEED, shape: output.shape, output: Array.from(output.data) };
  console.log(name, output.shape);
}
writeFileSync(new URL('parity.json', dir), `${JSON.stringify(parity)}\n`);
