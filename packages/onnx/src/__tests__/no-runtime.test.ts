/**
 * @convzoo/onnx is the codec alone: it must run where no ONNX Runtime is installed (browsers,
 * bundles), so nothing in its sources may import one, and its only dependencies are core and
 * onnx-proto.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('..', import.meta.url));
const sources = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.includes('__tests__'));

describe('@convzoo/onnx has no runtime', () => {
  it('no source file imports onnxruntime', () => {
    expect(sources.length).toBeGreaterThan(20);
    const offenders = sources.filter((f) => /from\s+['"]onnxruntime|import\(\s*['"]onnxruntime/.test(readFileSync(join(src, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('depends on @convzoo/core and onnx-proto only', () => {
    const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies?: object };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@convzoo/core', 'onnx-proto']);
    expect(pkg.peerDependencies).toBeUndefined();
  });
});
