/**
 * onnxruntime-web through @convzoo/backend-ort/web: the model is exported to ONNX in the page and
 * run by ORT's plain wasm build ('wasm') or its JSEP build (the WebGPU provider), whose .wasm and
 * .mjs files are served with the app (no network). The page is cross-origin isolated
 * (vite.config.ts), so wasm runs on every core. The .mjs is passed too because wasm threads are
 * workers that load ORT's module: the copy inside the app's chunk would run the app's entry
 * (vite's preload helper) where there is no DOM.
 */
import wasmWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import wasmMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import jsepMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import type { Model } from '@convzoo/core';
import { ort, ortWebThreads, type OrtBackend, type OrtCompiledModel, type OrtWebDevice } from '@convzoo/backend-ort/web';

const backends = new Map<OrtWebDevice, OrtBackend<OrtWebDevice>>();
const WASM_PATHS = { wasm: { wasm: wasmWasmUrl, mjs: wasmMjsUrl }, webgpu: { wasm: jsepWasmUrl, mjs: jsepMjsUrl } } as const;

/**
 * Compiles on `device`. `threads` (default: the backend's, every core here) only counts on the
 * first call: onnxruntime-web fixes its thread pool when it starts.
 */
export function compileOrtWeb(model: Model, device: OrtWebDevice = 'wasm', threads?: number): Promise<OrtCompiledModel<OrtWebDevice>> {
  let backend = backends.get(device);
  if (backend === undefined) backends.set(device, (backend = ort({ device, threads, wasmPaths: WASM_PATHS[device] })));
  return backend.compile(model);
}

export { ortWebThreads };
