/**
 * The --backend names of the CLI and how each becomes a core Backend. Imports are dynamic so
 * that commands which run nothing (list, summary) never load tfjs or onnxruntime.
 */
import { ConvzooError, type Backend, type Trainer } from '@convzoo/core';
import { choice } from './args.js';

export const BACKEND_NAMES = ['tfjs-wasm', 'tfjs-cpu', 'ort-cpu', 'ort-cuda'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export async function createBackend(name: BackendName): Promise<Backend> {
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

export function backendFlag(value: string | boolean | undefined, fallback: BackendName): BackendName {
  return choice(value, '--backend', BACKEND_NAMES) ?? fallback;
}

/**
 * A core Trainer for --backend and the name of what it runs on. ort-cuda is checked before any
 * data is read: without ONNX Runtime's CUDA provider it is an error that says why, never CPU.
 */
export async function createTrainer(name: BackendName): Promise<{ trainer: Trainer; device: string }> {
  switch (name) {
    case 'tfjs-wasm':
    case 'tfjs-cpu': {
      const { tfjs } = await import('@convzoo/backend-tfjs');
      const backend = tfjs({ device: name === 'tfjs-wasm' ? 'wasm' : 'cpu' });
      return { trainer: backend, device: `tfjs-${await backend.device()}` };
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
