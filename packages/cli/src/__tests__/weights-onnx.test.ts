/** --weights FILE.onnx: an ONNX file's weights into the native model (convzoo's export, external data, torch's node names). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { create, decodeNpy, encodeNpy, maxRelDiff } from '@convzoo/core';
import { randomInput, randomizeNonKernelWeights } from '@convzoo/core/testing';
import { ort } from '@convzoo/backend-ort';
import { exportOnnxFile } from '@convzoo/onnx/node';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'convzoo-weights-onnx-'));
const flags = ['--variant', 'torchvision', '--input-shape', '32,32,3', '--classes', '10'];

describe('--weights FILE.onnx', () => {
  it('predict with convzoo\'s own ONNX export (BatchNorm folded, weights in external data) gives the source model\'s logits (ort-cpu, within 1e-5)', { timeout: 120_000 }, async () => {
    const source = randomizeNonKernelWeights(create('resnet18', { variant: 'torchvision', inputShape: [32, 32, 3], numClasses: 10, seed: 9 }), 9);
    const files = exportOnnxFile(source, join(dir, 'resnet18.onnx'), { externalData: true });
    expect(files.data).toBe(join(dir, 'resnet18.onnx.data'));
    const input = randomInput([2, 32, 32, 3], 4);
    const [x, y] = [join(dir, 'x.npy'), join(dir, 'y.npy')];
    writeFileSync(x, encodeNpy(input));
    const r = await run('predict', 'resnet18', ...flags, '--weights', files.model, '--backend', 'ort-cpu', '--input', x, '--output', y);
    expect(r.stderr).toBe(`wrote ${y} [2, 10] (cpu)\n`);
    expect(r.code).toBe(0);
    const compiled = await ort({ device: 'cpu' }).compile(source);
    const [expected] = await compiled.predict(input);
    await compiled.dispose();
    const got = decodeNpy(new Uint8Array(readFileSync(y)));
    expect(got.shape).toEqual([2, 10]);
    expect(maxRelDiff(got.data, expected!.data)).toBeLessThan(1e-5);
  });

  it('a torch.onnx.export file of another architecture is exit code 2 and one line naming the ONNX node', async () => {
    const file = join(dir, 'alexnet.onnx');
    writeFileSync(file, gunzipSync(readFileSync(new URL('../../../weights/src/__tests__/fixtures/onnx/alexnet.onnx.gz', import.meta.url))));
    const r = await run('summary', 'resnet18', ...flags, '--weights', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: ONNX Conv node "/features/features.0/Conv" (initializer "features.0.weight" [64, 3, 11, 11]) matches no node of "resnet18"`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
