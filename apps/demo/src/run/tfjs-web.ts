/**
 * TensorFlow.js in the page: the WebGL backend registered up front, WebGPU's loaded on first use,
 * and the wasm backend's binaries bundled with the app (tfjs would otherwise fetch them from a CDN).
 */
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { tfjs, type TfjsBackend } from '@convzoo/backend-tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The tfjs devices a browser can offer here, WebGL first (the default). */
export const BROWSER_DEVICES = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type BrowserDevice = (typeof BROWSER_DEVICES)[number];

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

/**
 * A tfjs backend on `device`. The WebGPU backend package is imported here, by the app, because
 * backend-tfjs loads an optional peer by its bare name, which only Node resolves.
 */
export async function tfjsBackend(device: BrowserDevice): Promise<TfjsBackend> {
  if (device === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (device === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    // The page is cross-origin isolated, so tfjs would pick its threaded wasm, whose pthread
    // worker (a blob of its own glue code) fails once bundled ("e is not defined"): plain SIMD.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  return tfjs({ device, wasmPaths: WASM_PATHS });
}

/** The backend tfjs really has active, and for WebGL whether it computes in float32 or float16 textures. */
export function activeBackend(): { name: string; precision: 'float32' | 'float16' | undefined } {
  const name = tf.getBackend();
  if (name !== 'webgl') return { name, precision: undefined };
  return { name, precision: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'float32' : 'float16' };
}
