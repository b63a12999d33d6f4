/**
 * @convzoo/backend-ort/web: convzoo models on ONNX Runtime in browsers (onnxruntime-web: wasm,
 * and webgpu where the browser offers an adapter), the same backend as the Node entry.
 */
import { ConvzooError } from '@convzoo/core';
import * as ortWeb from 'onnxruntime-web';
import { OrtBackend } from './common/backend.js';
import type { OrtOptions } from './common/options.js';
import type { OrtRuntime } from './common/runtime.js';

export { OrtBackend } from './common/backend.js';
export { OrtCompiledModel } from './common/compiled-model.js';
export type { OrtCompileOptions, OrtOptions } from './common/options.js';

export type OrtWebDevice = 'wasm' | 'webgpu';
export const ORT_WEB_DEVICES: readonly OrtWebDevice[] = ['wasm', 'webgpu'];

export interface OrtWebOptions extends OrtOptions<OrtWebDevice> {
  /**
   * Where onnxruntime-web finds its .wasm files (env.wasm.wasmPaths): a URL prefix, or the
   * bundler's URL of the file, e.g. `{ wasm: url }` with Vite's `?url` import. Nothing is fetched
   * from a CDN unless this says so.
   */
  readonly wasmPaths?: ortWeb.Env.WasmPrefixOrFilePaths;
}

/** Why WebGPU cannot run here, or undefined when an adapter is there. */
async function webgpuUnavailable(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (gpu === undefined) return 'this browser has no WebGPU (navigator.gpu is missing; it needs a secure context)';
  try {
    return (await gpu.requestAdapter()) === null ? 'navigator.gpu.requestAdapter() found no adapter' : undefined;
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${(e as Error).message}`;
  }
}

const webRuntime: OrtRuntime<OrtWebDevice> = {
  InferenceSession: ortWeb.InferenceSession,
  Tensor: ortWeb.Tensor,
  fillsPreallocatedOutputs: false,
  devices: ORT_WEB_DEVICES,
  async available() {
    return (await webgpuUnavailable()) === undefined ? ['wasm', 'webgpu'] : ['wasm'];
  },
  async ensureDevice(device) {
    if (device !== 'webgpu') return;
    const reason = await webgpuUnavailable();
    if (reason !== undefined) throw new ConvzooError('DEVICE_UNAVAILABLE', `device 'webgpu' requested: ${reason}`);
  },
};

/**
 * An ONNX Runtime backend in the browser on `device` ('wasm' by default; 'webgpu' without an
 * adapter is a DEVICE_UNAVAILABLE error, never a wasm fallback). `threads` sets
 * env.wasm.numThreads (wasm threads need a cross-origin isolated page).
 */
export function ort(opts: OrtWebOptions = {}): OrtBackend<OrtWebDevice> {
  const { wasmPaths, ...common } = opts;
  const backend = new OrtBackend(webRuntime, common);
  if (wasmPaths !== undefined) ortWeb.env.wasm.wasmPaths = wasmPaths;
  if (opts.threads !== undefined) ortWeb.env.wasm.numThreads = opts.threads;
  return backend;
}
