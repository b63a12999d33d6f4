import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeNpy, decodeSafetensors, encodeNpy, graphFromJson, maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { writeFileSync } from 'node:fs';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'convzoo-cli-'));

describe('convzoo (in process)', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('summary');
    expect(r.stdout).toContain('export');
    for (const cmd of ['list', 'summary', 'export']) expect((await run(cmd, '--help')).code).toBe(0);
  });

  it('summary --json is one JSON document with the counts', async () => {
    const r = await run('summary', 'lenet5', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.params).toEqual({ trainable: 60_850, nonTrainable: 0, total: 60_850 });
    expect(doc.macs).toBe(326_520);
    expect(doc.layers.length).toBeGreaterThan(5);
  });

  it('summary honours --variant, --classes, --input-shape and --no-aux', async () => {
    expect(JSON.parse((await run('summary', 'lenet5', '--variant', 'modern', '--json')).stdout).params.trainable).toBe(61_706);
    expect(JSON.parse((await run('summary', 'googlenet', '--no-aux', '--json')).stdout).params.trainable).toBe(6_998_552);
    const r18 = JSON.parse((await run('summary', 'resnet18', '--classes', '10', '--input-shape', '64,64,3', '--json')).stdout);
    expect(r18.params.trainable).toBe(11_689_512 - 1000 * 513 + 10 * 513);
    expect(r18.layers.at(-1).outputShape).toEqual([10]);
  });

  it('summary prints a table', async () => {
    const r = await run('summary', 'resnet50');
    expect(r.stdout).toContain('Trainable params: 25,557,032');
    expect(r.stdout).toContain('Non-trainable params: 53,120');
  });

  it('list --json has every family', async () => {
    const names = JSON.parse((await run('list', '--json')).stdout).map((e: { name: string }) => e.name);
    for (const n of ['lenet5', 'alexnet', 'vgg11', 'vgg16_bn', 'googlenet', 'resnet18', 'resnet152']) expect(names).toContain(n);
  });

  it('export writes graph JSON and safetensors that load back', async () => {
    const dir = tmp();
    expect((await run('export', 'lenet5', '--format', 'graph', '--out', join(dir, 'graph.json'))).code).toBe(0);
    expect((await run('export', 'lenet5', '--format', 'safetensors', '--out', join(dir, 'weights.safetensors'), '--seed', '3')).code).toBe(0);
    const graph = graphFromJson(readFileSync(join(dir, 'graph.json'), 'utf8'));
    expect(graph.name).toContain('lenet');
    const { tensors } = decodeSafetensors(readFileSync(join(dir, 'weights.safetensors')));
    expect(tensors.get('c1/kernel')!.shape).toEqual([5, 5, 1, 6]);
    expect(tensors.get('s2/coefficient')!.data).toEqual(new Float32Array(6).fill(0.25));
    // the directory is now a model directory
    const s = JSON.parse((await run('summary', dir, '--json')).stdout);
    expect(s.params.trainable).toBe(60_850);
  });

  it.each<[string, string[], string]>([
    ['an unknown command', ['fly'], 'convzoo fly: unknown command "fly"; expected one of: list, summary, export, import, predict'],
    ['an unknown architecture', ['summary', 'resnet9000'], 'unknown architecture "resnet9000"; expected one of: '],
    ['an unknown variant', ['summary', 'resnet50', '--variant', 'v9'], 'unknown variant "v9" for resnet50; expected one of: paper, torchvision'],
    ['an unknown flag', ['summary', 'lenet5', '--colour'], 'convzoo summary: unknown flag --colour; convzoo summary takes --weights, --variant, --seed, --input-shape, --classes, --no-aux, --json, --all, --help (see convzoo summary --help)'],
    ['a missing architecture', ['summary'], 'convzoo summary: expects 1 positional argument(s), got 0'],
    ['a malformed --input-shape', ['summary', 'vgg16', '--input-shape', '224,224'], '--input-shape must be H,W,C (three positive decimal integers), got "224,224"'],
    ['a bad --classes', ['summary', 'vgg16', '--classes', '0'], '--classes must be a decimal integer from 1 to 1,000,000, got "0"'],
    ['an input too small for the network', ['summary', 'alexnet', '--input-shape', '8,8,3'], 'does not fit input'],
    ['a missing --format', ['export', 'lenet5', '--out', 'x'], 'convzoo export: needs --format'],
    ['an unknown --format', ['export', 'lenet5', '--format', 'pickle', '--out', 'x'], '--format must be one of onnx, safetensors, graph, triton, torch, got "pickle"'],
    ['a broken model directory', ['summary', '/nonexistent/dir'], '/nonexistent/dir: not a model directory'],
  ])('rejects %s with exit code 2 and one line', async (_name, argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('leaves no file behind when the output folder does not exist', async () => {
    const dir = tmp();
    const r = await run('export', 'lenet5', '--format', 'graph', '--out', join(dir, 'missing', 'g.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('g.json: cannot write: no such file or directory');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('convzoo predict', () => {
  const dir = tmp();
  const x = randomInput([2, 32, 32, 1], 5);
  writeFileSync(join(dir, 'x.npy'), encodeNpy(x));
  // the same batch as NCHW
  writeFileSync(join(dir, 'x-nchw.npy'), encodeNpy({ shape: [2, 1, 32, 32], data: x.data }));

  it('gives the same outputs on tfjs-wasm, tfjs-cpu and ort-cpu (within 1e-4)', async () => {
    const outs = [];
    for (const backend of ['tfjs-wasm', 'tfjs-cpu', 'ort-cpu']) {
      const out = join(dir, `y-${backend}.npy`);
      const r = await run('predict', 'lenet5', '--backend', backend, '--input', join(dir, 'x.npy'), '--output', out, '--seed', '1');
      expect(r.code, r.stderr).toBe(0);
      outs.push(decodeNpy(readFileSync(out)));
    }
    expect(outs[0]!.shape).toEqual([2, 10]);
    expect(maxRelDiff(outs[1]!.data, outs[0]!.data)).toBeLessThan(1e-4);
    expect(maxRelDiff(outs[2]!.data, outs[0]!.data)).toBeLessThan(1e-4);
  });

  it('--layout nchw transposes the input (1x32x32 is the same data)', async () => {
    const a = join(dir, 'a.npy');
    const b = join(dir, 'b.npy');
    expect((await run('predict', 'lenet5', '--input', join(dir, 'x.npy'), '--output', a)).code).toBe(0);
    expect((await run('predict', 'lenet5', '--input', join(dir, 'x-nchw.npy'), '--layout', 'nchw', '--output', b)).code).toBe(0);
    expect(decodeNpy(readFileSync(b)).data).toEqual(decodeNpy(readFileSync(a)).data);
  });

  it.each<[string, string[], string]>([
    ['a wrong input shape', ['predict', 'lenet5', '--input', 'X28', '--output', 'Y'], 'input shape [2, 28, 28, 1] does not match the model input [N, 32, 32, 1] (NHWC)'],
    ['an unknown backend', ['predict', 'lenet5', '--backend', 'tpu', '--input', 'X', '--output', 'Y'], '--backend must be one of auto, tfjs-wasm, tfjs-cpu, ort-cpu, ort-cuda, got "tpu"'],
    ['a missing input file', ['predict', 'lenet5', '--input', 'missing.npy', '--output', 'Y'], 'missing.npy: no such file or directory'],
    ['no input', ['predict', 'lenet5'], 'convzoo predict: needs --input X.npy and --output Y.npy (or --image FILES)'],
    ['CUDA where there is none', ['predict', 'lenet5', '--backend', 'ort-cuda', '--input', 'X', '--output', 'Y'], 'cuda'],
  ])('rejects %s with exit code 2 and writes nothing', async (_n, argv, message) => {
    const x28 = join(dir, 'x28.npy');
    writeFileSync(x28, encodeNpy(randomInput([2, 28, 28, 1])));
    const mapped = argv.map((a) => (a === 'X28' ? x28 : a === 'X' ? join(dir, 'x.npy') : a === 'Y' ? join(dir, 'never.npy') : a === 'missing.npy' ? join(dir, 'missing.npy') : a));
    const r = await run(...mapped);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'never.npy'))).toBe(false);
  });
});

describe('convzoo (the built binary)', () => {
  const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
  it('exits 0 on --help and 2 on bad input, with no stack trace', () => {
    expect(existsSync(bin)).toBe(true);
    expect(spawnSync('node', [bin, '--help']).status).toBe(0);
    const bad = spawnSync('node', [bin, 'summary', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stdout).toBe('');
  });

  it('--json prints exactly one JSON document on stdout', () => {
    const r = spawnSync('node', [bin, 'summary', 'lenet5', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toBe('');
  });
});
