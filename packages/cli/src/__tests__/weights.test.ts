/** --weights FILE through the one model loader every command shares. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { create, decodeNpy, decodeSafetensors, encodeNpy, encodeSafetensors, maxRelDiff } from '@convzoo/core';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { withWeightsFile } from '../models.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'convzoo-weights-'));
const lenet = create('lenet5', { seed: 7 });
const file = join(dir, 'lenet5.safetensors');
writeFileSync(file, encodeSafetensors(lenet.weights));

describe('--weights', () => {
  it('export writes the weights it was given', async () => {
    const out = join(dir, 'out.safetensors');
    const r = await run('export', 'lenet5', '--format', 'safetensors', '--out', out, '--weights', file);
    expect(r.code).toBe(0);
    const written = decodeSafetensors(new Uint8Array(readFileSync(out))).tensors;
    for (const [k, t] of lenet.weights) expect(written.get(k)!.data).toEqual(t.data);
  });

  it.each([
    ['a garbage file', 'garbage.pth', new Uint8Array([0x80, 2, 0x63, 0x6f, 0x73]), 'garbage.pth: pickle at byte'],
    ['a hostile pickle', 'evil.pth', new Uint8Array(Buffer.from('\x80\x02cos\nsystem\n.', 'latin1')), 'refused global os.system'],
    ['another architecture\'s file', 'lenet5.safetensors', undefined, 'lenet5.safetensors: missing tensor "features.0.weight" for conv1/kernel'],
  ])('%s is exit code 2 and one line', async (_what, name, bytes, message) => {
    if (bytes !== undefined) writeFileSync(join(dir, name), bytes);
    const r = await run('summary', 'alexnet', '--weights', join(dir, name));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('train initialises from what fits and reports the rest', () => {
    const values = { weights: file };
    const lines: string[] = [];
    const model = withWeightsFile(create('lenet5', { numClasses: 5, seed: 1 }), values, (l) => lines.push(l));
    expect(model.weight('c1', 'kernel').data).toEqual(lenet.weight('c1', 'kernel').data);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^--weights .*lenet5\.safetensors: loaded \d+ of \d+ tensors; kept as initialised: /);
  });
});

describe('--weights FILE.h5 (Keras Applications weights)', () => {
  // The weights package's Keras fixtures (scripts/make-keras-fixtures.py there): Keras's ResNet50
  // with sparse seeded weights, Keras's logits at 32x32, and an HDF5 file that is not Keras's.
  const fixtures = new URL('../../../weights/src/__tests__/fixtures/', import.meta.url);
  const h5 = join(dir, 'resnet50_keras.h5');
  writeFileSync(h5, gunzipSync(readFileSync(new URL('keras-resnet50.h5.gz', fixtures))));
  const expected = JSON.parse(readFileSync(new URL('keras-resnet50.json', fixtures), 'utf8')) as { logits: number[] };

  it('predict --variant keras gives Keras\'s logits (ort-cpu, within 1e-4)', { timeout: 120_000 }, async () => {
    const x = join(dir, 'keras-x.npy');
    const y = join(dir, 'keras-y.npy');
    // The fixture's input: ((i * 37) % 271) - 120 at flat NHWC index i.
    writeFileSync(x, encodeNpy({ shape: [2, 32, 32, 3], data: Float32Array.from({ length: 6144 }, (_, i) => ((i * 37) % 271) - 120) }));
    const r = await run('predict', 'resnet50', '--variant', 'keras', '--input-shape', '32,32,3', '--weights', h5, '--backend', 'ort-cpu', '--input', x, '--output', y);
    expect(r.code, r.stderr).toBe(0);
    const logits = decodeNpy(new Uint8Array(readFileSync(y)));
    expect(logits.shape).toEqual([2, 1000]);
    expect(maxRelDiff(logits.data, Float32Array.from(expected.logits))).toBeLessThan(1e-4);
  });

  it.each([
    ['another ResNet variant', ['summary', 'resnet50', '--weights', h5], 'Keras\'s network is the "keras" variant (build it with { variant: \'keras\' })'],
    ['HDF5 that is not Keras weights', ['summary', 'vgg16', '--weights', fileURLToPath(new URL('not-keras.h5', fixtures))], "not-keras.h5: is HDF5 but not a Keras weights file: no 'layer_names' attribute"],
  ])('%s is exit code 2 and one line', async (_what, argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
