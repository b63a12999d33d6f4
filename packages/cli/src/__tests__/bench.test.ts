import { describe, expect, it } from 'vitest';
import { abba, median } from '../bench-kit.js';
import { main } from '../main.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

describe('abba', () => {
  it('warms up, then runs each block forward and in reverse, and reports fastest and median', async () => {
    const calls: string[] = [];
    const timings = await abba(['a', 'b', 'c'].map((name) => ({ name, run: () => { calls.push(name); } })), { rounds: 2, warmup: 1 });
    expect(calls.join('')).toBe('abc' + 'abccba'.repeat(2));
    for (const t of timings) {
      expect(t.runsMs).toHaveLength(4);
      expect(t.fastestMs).toBe(Math.min(...t.runsMs));
      expect(t.fastestMs).toBeLessThanOrEqual(t.medianMs);
    }
  });

  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('convzoo bench', () => {
  it('times lenet5 on tfjs-cpu and ort-cpu with agreeing outputs, progress on stderr', async () => {
    const r = await run('bench', 'lenet5', '--backends', 'tfjs-cpu,ort-cpu', '--batch', '4', '--rounds', '2', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.batch).toBe(4);
    expect(doc.macs).toBe(4 * 326_520);
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(doc.results.map((x: { backend: string }) => x.backend)).toEqual(['tfjs-cpu', 'ort-cpu']);
    for (const x of doc.results) {
      expect(x.runsMs).toHaveLength(4);
      expect(x.gflops).toBeCloseTo((2 * doc.macs) / (x.fastestMs * 1e6), 6);
      expect(x.agreement).toBeLessThan(1e-5);
    }
    expect(doc.results[0].ratio).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(8);
  });

  it('prints a table by default', async () => {
    const r = await run('bench', 'lenet5', '--backends', 'ort-cpu', '--rounds', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ort-cpu\s+\d+\.\d/);
    expect(r.stdout).toContain('fp32 peak');
  });

  it('rejects an unknown or repeated backend with exit code 2', async () => {
    const bad = await run('bench', 'lenet5', '--backends', 'tfjs-wasm,torch');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown backend "torch"');
    expect((await run('bench', 'lenet5', '--backends', 'ort-cpu,ort-cpu')).code).toBe(2);
  });
});
