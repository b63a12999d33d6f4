/**
 * Every device the Run page offers: tfjs's browser backends and onnxruntime-web's, each compiled
 * through its convzoo backend and described by what really ran (in the model worker).
 */
import type { CompiledModel, Model } from '@convzoo/core';
import { compileOrtWeb, ortWebThreads } from './ort-web.js';
import { activeBackend, tfjsBackend, type BrowserDevice } from './tfjs-web.js';
import type { RunDevice } from './device-list.js';

export { RUN_DEVICES, isRunDevice, type RunDevice } from './device-list.js';

export interface RunOptions {
  /** onnxruntime-web's wasm threads (default every core); fixed by the first ORT compile in the page. */
  readonly threads?: number;
}

export function compileOn(device: RunDevice, model: Model, opts: RunOptions = {}): Promise<CompiledModel> {
  switch (device) {
    case 'ort-wasm': return compileOrtWeb(model, 'wasm', opts.threads);
    case 'ort-webgpu': return compileOrtWeb(model, 'webgpu', opts.threads);
    case 'tfjs-webgl': case 'tfjs-webgpu': case 'tfjs-wasm': case 'tfjs-cpu':
      return tfjsBackend(device.slice(5) as BrowserDevice).then((b) => b.compile(model));
  }
}

/** What ran, once the compiled model has predicted: "tfjs webgl (float32 textures)", "ort wasm (2 threads)". */
export function ranOn(device: RunDevice, compiled: CompiledModel): string {
  if (device.startsWith('ort-')) {
    return compiled.device === 'wasm' ? `ort wasm (${ortWebThreads() ?? '?'} thread${ortWebThreads() === 1 ? '' : 's'})` : `ort ${compiled.device}`;
  }
  const active = activeBackend();
  return `tfjs ${compiled.device}${active.name === compiled.device && active.precision ? ` (${active.precision} textures)` : ''}`;
}
