/**
 * onnxruntime-web through @convzoo/backend-ort/web: the model is exported to ONNX in the page and
 * run by ORT's wasm build, whose .wasm file is bundled with the app (no network).
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import type { CompiledModel, Model } from '@convzoo/core';
import { ort } from '@convzoo/backend-ort/web';

// One thread: the page is not cross-origin isolated, so wasm threads are not available anyway.
const backend = ort({ device: 'wasm', threads: 1, wasmPaths: { wasm: ortWasmUrl } });

export function compileOrtWeb(model: Model): Promise<CompiledModel> {
  return backend.compile(model);
}
