/**
 * `@convzoo/core/testing` must load where vitest cannot (scripts, browsers): a child Node,
 * whose resolver refuses any vitest import, loads the built entry and runs the reference
 * interpreter; the conformance subpath, which does need vitest, is refused the same way.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OP_CASES } from '../testing/index.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const REFUSE_VITEST = `export async function resolve(specifier, context, next) {
  if (specifier === 'vitest' || specifier.startsWith('vitest/')) throw new Error('vitest imported from ' + context.parentURL);
  return next(specifier, context);
}`;
const dataUrl = (code: string) => `data:text/javascript,${encodeURIComponent(code)}`;
const REGISTER = dataUrl(`import { register } from 'node:module'; register(${JSON.stringify(dataUrl(REFUSE_VITEST))});`);

/** Runs an ES module in a child Node from the package root (so `@convzoo/core` resolves to this package's dist). */
function runWithoutVitest(code: string) {
  return spawnSync(process.execPath, ['--import', REGISTER, '--input-type=module', '--eval', code], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
}

describe('@convzoo/core/testing without vitest', () => {
  it('loads and runs the float64 reference interpreter', () => {
    const r = runWithoutVitest(`
      import { OP_CASES, opCaseModel, referencePredict } from '@convzoo/core/testing';
      const c = OP_CASES[0];
      const [y] = referencePredict(opCaseModel(c), { shape: [1, ...c.inputShape], data: Float32Array.from(c.input) });
      console.log(JSON.stringify(Array.from(y.data)));
    `);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as number[];
    expect(out).toHaveLength(OP_CASES[0]!.expected.length);
    out.forEach((v, i) => expect(v).toBeCloseTo(OP_CASES[0]!.expected[i]!, 5));
  });

  it('the conformance subpath is the one that needs vitest', () => {
    const r = runWithoutVitest(`import '@convzoo/core/testing/conformance';`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('vitest imported from');
    expect(r.stderr).toContain('dist/testing/conformance.js');
  });
});
