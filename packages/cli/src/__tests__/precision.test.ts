/**
 * --precision on export and predict: fp16 and int8 ONNX files (int8 calibrated on MNIST or on a
 * folder of images), their metadata and size, import back, predict on ort-cpu, and each refusal.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { onnx } from '@convzoo/onnx';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const metadata = (file: string) => Object.fromEntries(onnx.ModelProto.decode(readFileSync(file)).metadataProps.map((p) => [p.key, p.value]));

describe('convzoo export / predict --precision', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-precision-'));
  const x = join(dir, 'x.npy');
  writeFileSync(x, encodeNpy(randomInput([4, 32, 32, 1], 3)));

  it('exports fp16 and int8 (calibrated on MNIST) LeNet-5 files that record their precision, are smaller, and import back', async () => {
    const files = { fp32: join(dir, 'l32.onnx'), fp16: join(dir, 'l16.onnx'), int8: join(dir, 'l8.onnx') };
    expect((await run('export', 'lenet5', '--format', 'onnx', '--out', files.fp32)).code).toBe(0);
    expect((await run('export', 'lenet5', '--format', 'onnx', '--out', files.fp16, '--precision', 'fp16')).code).toBe(0);
    const int8 = await run('export', 'lenet5', '--format', 'onnx', '--out', files.int8, '--precision', 'int8', '--dataset', 'mnist', '--calibrate-count', '100');
    expect(int8.code, int8.stderr).toBe(0);
    expect(int8.stderr).toContain('calibrated int8 activation ranges on 100 images (min-max, ort-cpu)');
    expect(int8.stderr).toContain('(ONNX opset 17, NCHW input, int8)');
    expect(metadata(files.fp32)['convzoo.precision']).toBeUndefined();
    expect(metadata(files.fp16)['convzoo.precision']).toBe('fp16');
    expect(metadata(files.int8)['convzoo.precision']).toBe('int8');
    const size = (f: string) => statSync(f).size;
    expect(size(files.fp16) / size(files.fp32)).toBeLessThan(0.55);
    expect(size(files.int8) / size(files.fp32)).toBeLessThan(0.35);
    for (const p of ['fp16', 'int8'] as const) {
      const out = join(dir, `imported-${p}`);
      expect((await run('import', files[p], '--out', out)).code).toBe(0);
      const y = join(dir, `y-${p}.npy`);
      const r = await run('predict', out, '--input', x, '--output', y, '--backend', 'tfjs-cpu');
      expect(r.code, r.stderr).toBe(0);
      expect(decodeNpy(readFileSync(y)).shape).toEqual([4, 10]);
    }
  }, 120_000);

  it('predict --precision int8 --calibrate DIR runs on ort-cpu, close to fp32 but not equal', async () => {
    const images = join(dir, 'calibration', 'nested');
    mkdirSync(images, { recursive: true });
    for (let i = 0; i < 6; i++) {
      const png = new PNG({ width: 28, height: 28 });
      for (let p = 0; p < 28 * 28; p++) png.data.set([(p * 37 + i * 91) % 256, (p * 37 + i * 91) % 256, (p * 37 + i * 91) % 256, 255], p * 4);
      writeFileSync(join(images, `${i}.png`), PNG.sync.write(png));
    }
    // Calibrated on the images it then predicts (representative data, as calibration needs).
    const files = Array.from({ length: 6 }, (_, i) => join(images, `${i}.png`));
    const y32 = join(dir, 'p32.npy');
    const y8 = join(dir, 'p8.npy');
    expect((await run('predict', 'lenet5', '--image', ...files, '--output', y32, '--backend', 'ort-cpu')).code).toBe(0);
    const r = await run('predict', 'lenet5', '--image', ...files, '--output', y8, '--precision', 'int8', '--calibrate', join(dir, 'calibration'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(cpu)');
    const d = maxRelDiff(decodeNpy(readFileSync(y8)).data, decodeNpy(readFileSync(y32)).data);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(0.15);
  }, 60_000);

  it('refuses each bad combination with one line and exit code 2', async () => {
    const out = join(dir, 'bad.onnx');
    const cases: [string[], string][] = [
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8'], 'convzoo export: --precision int8 needs calibration images: --calibrate DIR (a folder of images; labels are not needed) or --dataset mnist|fashion-mnist'],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'bf16'], 'convzoo export: --precision must be one of fp32, fp16, int8, got "bf16"'],
      [['export', 'lenet5', '--format', 'graph', '--out', out, '--precision', 'fp16'], 'convzoo export: --precision applies only to --format onnx'],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--dataset', 'mnist'], 'convzoo export: --dataset applies only to --precision int8'],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'fp16', '--calibrate', dir], 'convzoo export: --calibrate applies only to --precision int8'],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8', '--calibrate', dir, '--dataset', 'mnist'], 'convzoo export: --calibrate and --dataset cannot be combined'],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8', '--dataset', 'cifar'], 'convzoo export: --dataset must be one of mnist, fashion-mnist, got "cifar"'],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8', '--calibrate', join(dir, 'nope')], `convzoo export: --calibrate ${join(dir, 'nope')} does not exist (expected a folder of images)`],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8', '--calibrate', x], `convzoo export: --calibrate ${x} is not a folder (expected a folder of images)`],
      [['export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8', '--dataset', 'mnist', '--calibrate-count', '0'], 'convzoo export: --calibrate-count must be'],
      [['predict', 'lenet5', '--input', x, '--output', join(dir, 'y.npy'), '--precision', 'fp16', '--backend', 'tfjs-wasm'], 'convzoo predict: --precision fp16 runs on ort-cpu only, got --backend tfjs-wasm'],
      [['predict', 'resnet18', '--input', x, '--output', join(dir, 'y.npy'), '--precision', 'int8', '--dataset', 'mnist'], 'convzoo predict: mnist images are 28x28x1; the model takes 224x224x3'],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr, argv.join(' ')).toContain(message);
    }
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await run('export', 'lenet5', '--format', 'onnx', '--out', out, '--precision', 'int8', '--calibrate', empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--calibrate ${empty} holds no images (.png, .jpg, .jpeg, .webp)`);
  }, 60_000);
});
