/**
 * onnxruntime-web through @convzoo/backend-ort/web: the model is exported to ONNX in the page and
 * run by ORT's wasm build (or its WebGPU provider), whose .wasm and .mjs files are served with the
 * app (no network). The page is cross-origin isolated (vite.config.ts), so wasm runs on every
 * core. The .mjs is passed too because wasm threads are workers that load ORT's module: the copy
 * inside the app's chunk would run the app's entry (vite's preload helper) where there is no DOM.
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import type { Model } from '@convzoo/core';
import { ort, ortWebThreads, type OrtBackend, type OrtCompiledModel, type OrtWebDevice } from '@convzoo/backend-ort/web';

const backends = new Map<OrtWebDevice, OrtBackend<OrtWebDevice>>();

/**
 * Compiles on `device`. `threads` (default: the backend's, every core here) only counts on the
 * first call: onnxruntime-web fixes its thread pool when it starts.
 */
export function compileOrtWeb(model: Model, device: OrtWebDevice = 'wasm', threads?: number): Promise<OrtCompiledModel<OrtWebDevice>> {
  let backend = backends.get(device);
  if (backend === undefined) backends.set(device, (backend = ort({ device, threads, wasmPaths: { wasm: ortWasmUrl, mjs: ortMjsUrl } })));
  return backend.compile(model);
}

export { ortWebThreads };
