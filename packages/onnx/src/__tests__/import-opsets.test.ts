/**
 * The operator x opset x attribute-form table of fixtures/import-opsets.json.gz (written by
 * scripts/import-opsets.py from onnx.defs' schemas, expected outputs from its float64 numpy
 * reference): every importable case imports and runs on core's float64 reference interpreter
 * within 1e-5; every refused one fails with one line naming the node, operator, attribute and value.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isConvzooError, type TensorData } from '@convzoo/core';
import { referencePredict } from '@convzoo/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx, SUPPORTED_ONNX_OPS } from '../index.js';

interface Tensor { shape: number[]; data: string }
interface Case {
  op: string;
  opset: number;
  form: string;
  model: string;
  refuse?: string;
  convzoo?: { input: Tensor; output: Tensor };
}

const { cases } = JSON.parse(gunzipSync(readFileSync(new URL('../../fixtures/import-opsets.json.gz', import.meta.url))).toString()) as { cases: Case[] };

function tensor(t: Tensor): TensorData {
  const bytes = Buffer.from(t.data, 'base64');
  return { shape: t.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}

const results: { c: Case; ok: boolean }[] = [];

describe('import across opsets: the spec table', () => {
  for (const c of cases) {
    it(`${c.op} @${c.opset}: ${c.form}${c.refuse ? ' (refused)' : ''}`, () => {
      const bytes = Buffer.from(c.model, 'base64');
      if (c.refuse !== undefined) {
        let error: unknown;
        try {
          importOnnx(bytes);
        } catch (e) {
          error = e;
        }
        expect(isConvzooError(error), String(error)).toBe(true);
        const message = (error as Error).message;
        expect(message).toContain(c.refuse);
        expect(message).toContain(`(ONNX ${c.op.split(' ')[0]})`);
        expect(message).not.toContain('\n');
      } else {
        const model = importOnnx(bytes);
        const want = tensor(c.convzoo!.output);
        const [got] = referencePredict(model, tensor(c.convzoo!.input));
        expect(got!.shape).toEqual(want.shape);
        let worst = 0;
        got!.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want.data[i]!) / Math.max(1, Math.abs(want.data[i]!)))));
        expect(worst).toBeLessThanOrEqual(1e-5);
        // The Dense a MatMul + Add becomes keeps the Add's graph-output name.
        if (c.form.startsWith('MatMul + Add')) expect(model.graph.outputs).toEqual(['y']);
      }
      results.push({ c, ok: true });
    });
  }

  it('covers every imported operator', () => {
    const tested = new Set(cases.map((c) => c.op));
    expect(SUPPORTED_ONNX_OPS.filter((op) => !tested.has(op))).toEqual([]);
  });

  afterAll(() => {
    // The coverage table: operator x opset x attribute form (refused forms marked).
    const lines: string[] = [];
    for (const op of [...new Set(results.map((r) => r.c.op))]) {
      const rows = results.filter((r) => r.c.op === op);
      lines.push(`${op} (opsets ${[...new Set(rows.map((r) => r.c.opset))].join(', ')})`);
      for (const form of [...new Set(rows.map((r) => r.c.form))]) {
        const at = rows.filter((r) => r.c.form === form);
        lines.push(`  ${at[0]!.c.refuse ? 'refused ' : 'imports '} ${form.padEnd(58)} @ ${at.map((r) => r.c.opset).join(', ')}`);
      }
    }
    const refused = results.filter((r) => r.c.refuse).length;
    console.log(`ONNX import coverage: ${results.length} cases passed (${results.length - refused} imported and matched, ${refused} refused as specified)\n${lines.join('\n')}`);
  });
});
