/**
 * Builds the app (vite build) and serves dist/ with vite preview on a free port for every
 * end-to-end test file; the URL reaches the tests through `inject('baseUrl')`.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

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

let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  await build({ configFile, logLevel: 'warn' });
  const port = await freePort();
  server = await preview({ configFile, logLevel: 'warn', preview: { port, strictPort: true, host: '127.0.0.1' } });
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
