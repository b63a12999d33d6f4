// Dev-time round trip (needs /usr/bin/python3 with torch; never run in CI), behind the committed
// fixture src/__tests__/fixtures/torch-ddp/ that torch-export.test.ts checks:
//   1. convzoo export lenet5 --format torch --out T/export
//   2. torchrun --nproc_per_node=2 T/export/train_ddp.py --steps 5 (CPU, gloo, localhost)
//   3. torch runs the trained module (eval) on a seeded input; convzoo loads trained.pth with
//      --weights' loader and runs it on ort-cpu, tfjs-cpu and tfjs-wasm: max|a-b| / max|b| printed.
// Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects 0 (an IntFlag
// change in 3.11), hence --redirects 1 --tee 1: the same run, stdout also kept in a log folder.
//
// usage (after building): node scripts/torch-ddp-roundtrip.mjs [--write-fixture]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@convzoo/arch-lenet';
import { ort } from '@convzoo/backend-ort';
import { tfjs } from '@convzoo/backend-tfjs';
import { create, decodeNpy, encodeNpy, maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { loadWeights } from '@convzoo/weights';

const PYTHON = '/usr/bin/python3';
const STEPS = 5;
const PROCESSES = 2;
const INPUT_SEED = 11;
const cli = new URL('../dist/bin.js', import.meta.url).pathname;
const runner = new URL('../../torch/scripts/run-module.py', import.meta.url).pathname;
const fixture = new URL('../src/__tests__/fixtures/torch-ddp/', import.meta.url).pathname;
const t = mkdtempSync(join(tmpdir(), 'convzoo-ddp-'));
try {
  execFileSync('node', [cli, 'export', 'lenet5', '--format', 'torch', '--out', join(t, 'export')], { stdio: 'inherit' });
  execFileSync(PYTHON, ['-m', 'torch.distributed.run', `--nproc_per_node=${PROCESSES}`, '--master_addr=127.0.0.1', '--master_port=29533',
    '--redirects', '1', '--tee', '1', '--log_dir', join(t, 'logs'), 'train_ddp.py', '--steps', String(STEPS), '--out', join(t, 'trained.pth')],
  { cwd: join(t, 'export'), stdio: 'inherit' });
  const input = randomInput([4, 32, 32, 1], INPUT_SEED);
  writeFileSync(join(t, 'input.npy'), encodeNpy(input));
  execFileSync(PYTHON, [runner, join(t, 'export'), join(t, 'trained.pth'), join(t, 'input.npy'), join(t, 'torch.npy')], { stdio: 'inherit' });
  const expected = decodeNpy(readFileSync(join(t, 'torch.npy')));
  const { model, loaded } = loadWeights(create('lenet5'), readFileSync(join(t, 'trained.pth')), { file: 'trained.pth' });
  const before = create('lenet5');
  const moved = model.paramEntries().filter((p) => maxRelDiff(model.weight(p.node, p.name).data, before.weight(p.node, p.name).data) > 0).length;
  console.log(`loaded ${loaded.length} tensors from trained.pth; ${moved} differ from the exported ones after ${STEPS} steps on ${PROCESSES} processes`);
  for (const [name, backend] of [['ort-cpu', ort({ device: 'cpu' })], ['tfjs-cpu', tfjs({ device: 'cpu' })], ['tfjs-wasm', tfjs({ device: 'wasm' })]]) {
    const compiled = await backend.compile(model);
    const [ours] = await compiled.predict(input);
    await compiled.dispose();
    console.log(`${name}: max|a-b|/max|b| = ${maxRelDiff(ours.data, expected.data).toExponential(2)} against torch`);
  }
  if (process.argv.includes('--write-fixture')) {
    copyFileSync(join(t, 'trained.pth'), join(fixture, 'trained.pth'));
    const torchVersion = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
    writeFileSync(join(fixture, 'torch-outputs.json'), `${JSON.stringify({
      torch: torchVersion, processes: PROCESSES, steps: STEPS, inputSeed: INPUT_SEED, shape: expected.shape, output: Array.from(expected.data),
    })}\n`);
    console.log(`wrote ${fixture}`);
  }
} finally {
  rmSync(t, { recursive: true, force: true });
}
