/** The browser conformance page (e2e/conformance.test.ts), built and served as the app is: cross-origin isolated. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { isolation } from '../../vite.config.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  appType: 'mpa',
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false, emptyOutDir: true },
  preview: { headers: isolation },
});
