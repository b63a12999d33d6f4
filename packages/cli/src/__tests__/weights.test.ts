/** --weights FILE through the one model loader every command shares. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, decodeSafetensors, encodeSafetensors } from '@convzoo/core';
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
