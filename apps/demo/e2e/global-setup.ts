/**
 * Builds the app (vite build) and the browser conformance page (e2e/conformance/), and serves
 * each from its dist/ with vite preview on a free port for every end-to-end test file; the URLs
 * reach the tests through `inject('baseUrl')` and `inject('conformanceUrl')`.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    conformanceUrl: string;
  }
}

const CONFIGS = {
  baseUrl: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  conformanceUrl: fileURLToPath(new URL('./conformance/vite.config.ts', import.meta.url)),
} as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const servers: PreviewServer[] = [];

export async function setup(project: TestProject): Promise<void> {
  for (const [key, configFile] of Object.entries(CONFIGS) as [keyof typeof CONFIGS, string][]) {
    await build({ configFile, logLevel: 'warn' });
    const port = await freePort();
    servers.push(await preview({ configFile, logLevel: 'warn', preview: { port, strictPort: true, host: '127.0.0.1' } }));
    project.provide(key, `http://127.0.0.1:${port}/`);
  }
}

export async function teardown(): Promise<void> {
  await Promise.all(servers.map((s) => s.close()));
}
