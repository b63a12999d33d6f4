/**
 * export --format torch and the way back. The folder holds the generated module (the text
 * @convzoo/torch generates), its torch-named state dict and train_ddp.py; --names torch writes
 * torchvision's names; a state dict trained by a 2-process torchrun on CPU (fixtures/torch-ddp,
 * made by scripts/torch-ddp-roundtrip.mjs with torch) loads with --weights and gives torch's
 * outputs within 1e-4 (max|a - b| / max|b|) on ort-cpu, tfjs-cpu and tfjs-wasm.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '@convzoo/arch-inception';
import '@convzoo/arch-lenet';
import '@convzoo/arch-resnet';
import { ort } from '@convzoo/backend-ort';
import { tfjs } from '@convzoo/backend-tfjs';
import { create, decodeNpy, decodeSafetensors, encodeNpy, maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { torchModule, trainDdpScript } from '@convzoo/torch';
import { loadWeights } from '@convzoo/weights';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stderr = '';
  const code = await main(argv, { out: () => {}, err: (t) => { stderr += `${t}\n`; } });
  return { code, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'convzoo-torch-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => readFileSync(new URL(`./fixtures/torch-ddp/${name}`, import.meta.url));

describe('export --format torch', () => {
  it('writes model.py, model.safetensors (torch names and layouts) and train_ddp.py that load back bit for bit', async () => {
    const out = join(dir, 'lenet5');
    const r = await run('export', 'lenet5', '--format', 'torch', '--out', out, '--seed', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('class Lenet5, NCHW input');
    expect(readdirSync(out).sort()).toEqual(['model.py', 'model.safetensors', 'train_ddp.py']);
    const model = create('lenet5', { seed: 3 });
    expect(readFileSync(join(out, 'model.py'), 'utf8')).toBe(torchModule(model).source);
    expect(readFileSync(join(out, 'train_ddp.py'), 'utf8')).toBe(trainDdpScript());
    const bytes = readFileSync(join(out, 'model.safetensors'));
    const { tensors } = decodeSafetensors(bytes);
    expect([...tensors.keys()].sort()).toEqual(['c1.bias', 'c1.weight', 'c3.bias', 'c3.weight', 'c5.bias', 'c5.weight', 'f6.bias', 'f6.weight',
      'output.bias', 'output.weight', 's2.bias', 's2.weight', 's4.bias', 's4.weight']);
    expect(tensors.get('c3.weight')!.shape).toEqual([16, 6, 5, 5]);
    expect(tensors.get('f6.weight')!.shape).toEqual([84, 120]);
    const back = loadWeights(create('lenet5', { seed: 9 }), bytes);
    expect(back.names).toBe('torchvision');
    for (const p of model.paramEntries()) expect(back.model.weight(p.node, p.name).data, p.key).toEqual(model.weight(p.node, p.name).data);
    // A second export replaces the folder whole.
    expect((await run('export', 'lenet5', '--format', 'torch', '--out', out, '--seed', '4')).code).toBe(0);
    expect(loadWeights(create('lenet5'), readFileSync(join(out, 'model.safetensors'))).model.weight('c1', 'kernel').data)
      .toEqual(create('lenet5', { seed: 4 }).weight('c1', 'kernel').data);
  });

  it('GoogLeNet without transform_input comes back with --weights to the same outputs (its module holds an identity transform_input)', { timeout: 120_000 }, async () => {
    const out = join(dir, 'googlenet');
    const flags = ['--input-shape', '96,96,3', '--classes', '10', '--seed', '2'];
    expect((await run('export', 'googlenet', ...flags, '--format', 'torch', '--out', out)).code).toBe(0);
    expect(readFileSync(join(out, 'model.py'), 'utf8')).toContain('self._add("transform_input", nn.Conv2d(3, 3, kernel_size=(1, 1)');
    writeFileSync(join(dir, 'g.npy'), encodeNpy(randomInput([2, 96, 96, 3], 3)));
    const predict = async (extra: string[], output: string) => {
      const r = await run('predict', 'googlenet', ...flags, ...extra, '--backend', 'ort-cpu', '--input', join(dir, 'g.npy'), '--output', join(dir, output));
      expect(r.code, r.stderr).toBe(0);
      return decodeNpy(readFileSync(join(dir, output))).data;
    };
    const plain = await predict([], 'g-plain.npy');
    const back = await predict(['--weights', join(out, 'model.safetensors')], 'g-back.npy');
    expect(maxRelDiff(back, plain)).toBeLessThan(1e-5);
  });

  it('--format safetensors --names torch writes torchvision\'s names', async () => {
    const out = join(dir, 'resnet18.safetensors');
    expect((await run('export', 'resnet18', '--input-shape', '32,32,3', '--classes', '10', '--format', 'safetensors', '--names', 'torch', '--out', out)).code).toBe(0);
    const { tensors, metadata } = decodeSafetensors(readFileSync(out));
    expect(tensors.get('layer1.0.conv1.weight')!.shape).toEqual([64, 64, 3, 3]);
    expect(tensors.get('layer2.0.downsample.1.running_var')!.shape).toEqual([128]);
    expect(tensors.get('fc.weight')!.shape).toEqual([10, 512]);
    expect(metadata).toMatchObject({ convzoo_graph: 'resnet18', convzoo_names: 'torch' });
  });

  it.each([
    [['--format', 'onnx', '--names', 'torch'], '--names applies only to --format safetensors'],
    [['--format', 'safetensors', '--names', 'keras'], '--names must be one of convzoo, torch, got "keras"'],
  ])('refuses %j with exit 2', async (flags, message) => {
    const r = await run('export', 'lenet5', ...flags, '--out', join(dir, 'never'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('refuses an existing folder that is not an earlier torch export, leaving it as it was', async () => {
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'todo.txt'), 'keep me');
    const r = await run('export', 'lenet5', '--format', 'torch', '--out', notes);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds todo.txt: not a torch export folder; choose a new directory');
    expect(readdirSync(notes)).toEqual(['todo.txt']);
  });

  it('refuses a file where the folder goes', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await run('export', 'lenet5', '--format', 'torch', '--out', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a-file');
  });
});

describe('the way back: weights trained by torchrun (2 processes, gloo, CPU)', () => {
  const expected = JSON.parse(fixture('torch-outputs.json').toString('utf8')) as { processes: number; steps: number; inputSeed: number; shape: number[]; output: number[] };
  const input = randomInput([4, 32, 32, 1], expected.inputSeed);

  it.each([['ort-cpu', () => ort({ device: 'cpu' })], ['tfjs-cpu', () => tfjs({ device: 'cpu' })], ['tfjs-wasm', () => tfjs({ device: 'wasm' })]] as const)(
    'trained.pth gives torch\'s outputs on %s within 1e-4', { timeout: 60_000 }, async (_name, backend) => {
      expect(expected.processes).toBe(2);
      const { model, loaded } = loadWeights(create('lenet5'), fixture('trained.pth'), { file: 'trained.pth' });
      expect(loaded).toHaveLength(14);
      // Trained: not the weights it was exported with.
      expect(maxRelDiff(model.weight('c1', 'kernel').data, create('lenet5').weight('c1', 'kernel').data)).toBeGreaterThan(1e-3);
      const compiled = await backend().compile(model);
      const [ours] = await compiled.predict(input);
      await compiled.dispose();
      expect(ours!.shape).toEqual(expected.shape);
      expect(maxRelDiff(ours!.data, Float32Array.from(expected.output))).toBeLessThan(1e-4);
    });

  it('loads with --weights on the command line (predict)', async () => {
    writeFileSync(join(dir, 'trained.pth'), fixture('trained.pth'));
    writeFileSync(join(dir, 'x.npy'), encodeNpy(input));
    const r = await run('predict', 'lenet5', '--weights', join(dir, 'trained.pth'), '--backend', 'ort-cpu', '--input', join(dir, 'x.npy'), '--output', join(dir, 'y.npy'));
    expect(r.code, r.stderr).toBe(0);
    expect(maxRelDiff(decodeNpy(readFileSync(join(dir, 'y.npy'))).data, Float32Array.from(expected.output))).toBeLessThan(1e-4);
  });
});
