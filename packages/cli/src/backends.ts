/**
 * The --backend names of the CLI and how each becomes a core Backend. Imports are dynamic so
 * that commands which run nothing (list, summary) never load tfjs or onnxruntime.
 */
import { ConvzooError, type Backend, type Trainer } from '@convzoo/core';
import { choice } from './args.js';

export const BACKEND_NAMES = ['auto', 'tfjs-wasm', 'tfjs-cpu', 'ort-cpu', 'ort-cuda'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type ConcreteBackend = Exclude<BackendName, 'auto'>;

/** What `auto` (every command's default) means here: how to say it in help texts. */
export const AUTO_HELP = 'auto: the fastest that runs here, ort-cuda where ONNX Runtime\'s CUDA provider starts, else ort-cpu';

/**
 * `auto` is the fastest backend that runs here: ONNX Runtime (6-7x tfjs-wasm on CPU), on CUDA
 * where its provider really starts. Chosen before anything runs; a failure on the chosen
 * backend is then an error, never a fallback to another.
 */
export async function resolveBackend(name: BackendName): Promise<ConcreteBackend> {
  if (name !== 'auto') return name;
  const { ortCudaStatus } = await import('@convzoo/backend-ort');
  return (await ortCudaStatus()).available ? 'ort-cuda' : 'ort-cpu';
}

export async function createBackend(requested: BackendName): Promise<Backend> {
  const name = await resolveBackend(requested);
  switch (name) {
    case 'tfjs-wasm':
    case 'tfjs-cpu': {
      const { tfjs } = await import('@convzoo/backend-tfjs');
      return tfjs({ device: name === 'tfjs-wasm' ? 'wasm' : 'cpu' });
    }
    case 'ort-cpu':
    case 'ort-cuda': {
      const { ort } = await import('@convzoo/backend-ort');
      return ort({ device: name === 'ort-cpu' ? 'cpu' : 'cuda' });
    }
  }
}

export function backendFlag(value: string | boolean | undefined): BackendName {
  return choice(value, '--backend', BACKEND_NAMES) ?? 'auto';
}

/**
 * A core Trainer for --backend and the name of what it runs on. ort-cuda is checked before any
 * data is read: without ONNX Runtime's CUDA provider it is an error that says why, never CPU.
 */
export async function createTrainer(requested: BackendName): Promise<{ trainer: Trainer; device: ConcreteBackend }> {
  const name = await resolveBackend(requested);
  switch (name) {
    case 'tfjs-wasm':
    case 'tfjs-cpu': {
      const { tfjs } = await import('@convzoo/backend-tfjs');
      const backend = tfjs({ device: name === 'tfjs-wasm' ? 'wasm' : 'cpu' });
      await backend.device();
      return { trainer: backend, device: name };
    }
    case 'ort-cpu':
    case 'ort-cuda': {
      const { ortCudaStatus, ort } = await import('@convzoo/backend-ort');
      if (name === 'ort-cuda') {
        const status = await ortCudaStatus();
        if (!status.available) throw new ConvzooError('DEVICE_UNAVAILABLE', `--backend ort-cuda: ${status.reason}`);
      }
      return { trainer: ort({ device: name === 'ort-cpu' ? 'cpu' : 'cuda' }), device: name };
    }
  }
}
