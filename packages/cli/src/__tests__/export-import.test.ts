import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, maxRelDiff } from '@convzoo/core';
import { randomInput } from '@convzoo/core/testing';
import { decodeOnnx } from '@convzoo/onnx';
import { exportOnnxFile } from '@convzoo/onnx/node';
import { saveModelDir } from '@convzoo/core/node';
import { GraphBuilder, Model } from '@convzoo/core';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

/** A small protobuf text-format parser (what Triton reads): messages, repeated fields, lists, scalars. */
type PbValue = string | number | PbMessage | PbValue[];
interface PbMessage { [field: string]: PbValue[] }
function parsePbtxt(text: string): PbMessage {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,]+/g) ?? [];
  let i = 0;
  const value = (): PbValue => {
    const t = tokens[i++]!;
    if (t === '{') return message('}');
    if (t === '[') {
      const list: PbValue[] = [];
      while (tokens[i] !== ']') {
        list.push(value());
        if (tokens[i] === ',') i++;
      }
      i++;
      return list;
    }
    if (t.startsWith('"')) return JSON.parse(t) as string;
    return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  };
  const message = (end: string | undefined): PbMessage => {
    const m: PbMessage = {};
    while (i < tokens.length && tokens[i] !== end) {
      const field = tokens[i++]!;
      if (tokens[i] === ':') i++;
      const v = value();
      (m[field] ??= []).push(...(Array.isArray(v) ? v : [v]));
    }
    i++;
    return m;
  };
  return message(undefined);
}

describe('export onnx, import, predict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-onnx-'));

  it('an ONNX export imports back into a model directory that predicts the same numbers', async () => {
    const onnx = join(dir, 'lenet.onnx');
    expect((await run('export', 'lenet5', '--format', 'onnx', '--out', onnx, '--seed', '4')).code).toBe(0);
    expect(readFileSync(onnx).length).toBeGreaterThan(60_850 * 4);
    const r = await run('import', onnx, '--out', join(dir, 'imported'));
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'imported')).sort()).toEqual(['graph.json', 'weights.safetensors']);
    writeFileSync(join(dir, 'x.npy'), encodeNpy(randomInput([3, 32, 32, 1], 2)));
    for (const [spec, extra, out] of [['lenet5', ['--seed', '4'], 'a.npy'], [join(dir, 'imported'), [], 'b.npy']] as const) {
      expect((await run('predict', spec, ...extra, '--backend', 'ort-cpu', '--input', join(dir, 'x.npy'), '--output', join(dir, out))).code).toBe(0);
    }
    const a = decodeNpy(readFileSync(join(dir, 'a.npy')));
    const b = decodeNpy(readFileSync(join(dir, 'b.npy')));
    expect(b.shape).toEqual([3, 10]);
    expect(maxRelDiff(b.data, a.data)).toBeLessThan(1e-5);
  });

  it('a Triton repository whose config.pbtxt matches the ONNX model', async () => {
    const repo = join(dir, 'repo');
    expect((await run('export', 'resnet18', '--classes', '10', '--input-shape', '64,64,3', '--format', 'triton', '--out', repo, '--max-batch', '16', '--gpu')).code).toBe(0);
    const name = readdirSync(repo)[0]!;
    const config = parsePbtxt(readFileSync(join(repo, name, 'config.pbtxt'), 'utf8'));
    const onnx = decodeOnnx(readFileSync(join(repo, name, '1', 'model.onnx')));
    expect(config.name).toEqual([name]);
    expect(config.platform).toEqual(['onnxruntime_onnx']);
    expect(config.max_batch_size).toEqual([16]);
    const [input] = config.input as PbMessage[];
    const [output] = config.output as PbMessage[];
    expect(input!.name).toEqual([onnx.graph.inputs[0]!.name]);
    expect(input!.dims).toEqual(onnx.graph.inputs[0]!.dims.slice(1));
    expect(input!.dims).toEqual([3, 64, 64]);
    expect(input!.data_type).toEqual(['TYPE_FP32']);
    expect(output!.name).toEqual([onnx.graph.outputs[0]!.name]);
    expect(output!.dims).toEqual([10]);
    expect(onnx.graph.inputs[0]!.dims[0]).toBe('N');
    expect((config.instance_group as PbMessage[])[0]!.kind).toEqual(['KIND_GPU']);
    expect(config.dynamic_batching).toHaveLength(1);
    const accel = ((config.optimization as PbMessage[])[0]!.execution_accelerators as PbMessage[])[0]!.gpu_execution_accelerator as PbMessage[];
    expect(accel[0]!.name).toEqual(['tensorrt']);
    // CPU by default
    expect((await run('export', 'lenet5', '--format', 'triton', '--out', join(dir, 'cpu-repo'))).code).toBe(0);
    expect(readFileSync(join(dir, 'cpu-repo', 'lenet5', 'config.pbtxt'), 'utf8')).toContain('kind: KIND_CPU');
  });

  it.each<[string, Uint8Array, string]>([
    ['random bytes', Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) % 251), 'junk.onnx'],
    ['a truncated model', new Uint8Array(0), 'junk.onnx'],
  ])('import of %s exits 2 and leaves no directory', async (_n, bytes, file) => {
    writeFileSync(join(dir, file), bytes);
    const out = join(dir, `never-${_n.length}`);
    const r = await run('import', join(dir, file), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('junk.onnx');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('import warns about NaN or infinite weights, naming the tensor, and still imports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-nan-'));
    const g = new GraphBuilder('nan');
    const model = Model.init(g.build([g.dense(g.input([3]), { units: 2, name: 'fc' })]), 0);
    model.weight('fc', 'bias').data[1] = Number.NaN;
    exportOnnxFile(model, join(dir, 'nan.onnx'));
    const r = await run('import', join(dir, 'nan.onnx'), '--out', join(dir, 'out'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(dir, 'nan.onnx')}: weight "fc/bias" [2] holds 1 NaN or infinite value(s) (the first at flat index 1)`);
    expect(existsSync(join(dir, 'out', 'graph.json'))).toBe(true);
  });

  it('a model directory with NaN weights loads with a warning naming the tensor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convzoo-nan-dir-'));
    const g = new GraphBuilder('nan_dir');
    const model = Model.init(g.build([g.dense(g.input([3]), { units: 2, name: 'fc' })]), 0);
    model.weight('fc', 'kernel').data[4] = Number.POSITIVE_INFINITY;
    saveModelDir(model, join(dir, 'm'));
    const r = await run('export', join(dir, 'm'), '--format', 'onnx', '--out', join(dir, 'm.onnx'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(dir, 'm', 'weights.safetensors')}: weight "fc/kernel" [3, 2] holds 1 NaN or infinite value(s) (the first at flat index 4)`);
  });
});
