/** Family switches such as --no-aux come from the registry entries, not from the CLI. */
import { describe, expect, it } from 'vitest';
import { registry } from '@convzoo/core';
import { main } from '../main.js';
import { MODEL_OPTIONS } from '../models.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => { stdout += `${t}\n`; }, err: (t) => { stderr += `${t}\n`; } });
  return { code, stdout, stderr };
}

describe('family flags', () => {
  it('offers each flag a registry entry carries', () => {
    expect(registry.get('googlenet').flags?.map((f) => f.flag)).toEqual(['no-aux']);
    expect(MODEL_OPTIONS['no-aux']).toEqual({ type: 'boolean' });
  });

  it('sets the entry\'s option: --no-aux builds googlenet without its auxiliary classifiers', async () => {
    const r = await run('summary', 'googlenet', '--variant', 'torchvision', '--no-aux', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).params).toEqual({ trainable: 6_624_904, nonTrainable: 14_560, total: 6_639_464 });
  });

  it('refuses a flag the architecture does not have, with exit code 2 and one line', async () => {
    const r = await run('summary', 'resnet50', '--no-aux');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--no-aux does not apply to resnet50; it applies to googlenet');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
