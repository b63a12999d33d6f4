/**
 * Whether ONNX Runtime's CUDA execution provider can really run here. onnxruntime-node ships
 * CPU only; its install script downloads the CUDA provider libraries next to the native
 * binding (Linux x64, CUDA 12). Requesting 'cuda' without them is an error, never a fallback.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const CUDA_PROVIDER_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'] as const;

const HOW_TO_INSTALL =
  'Install it with onnxruntime-node\'s installer: `npm install onnxruntime-node --onnxruntime-node-install=cuda12` ' +
  '(or ONNXRUNTIME_NODE_INSTALL=cuda12), which downloads the provider from NuGet, on Linux x64 with CUDA 12 and cuDNN 9 ' +
  '(https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html).';

export type CudaStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

/** Where onnxruntime-node keeps its native binding and provider libraries. */
export function ortBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * Checks the build, then the provider libraries, then (when both are there) that a session
 * with the CUDA provider really starts: `probe` rejects with ONNX Runtime's reason otherwise.
 */
export async function cudaStatus(buildHasCuda: boolean, binDir: string, probe: () => Promise<void>): Promise<CudaStatus> {
  if (!buildHasCuda) {
    return { available: false, reason: `this onnxruntime-node build has no CUDA execution provider (${process.platform}/${process.arch}; CUDA builds exist for Linux x64). ${HOW_TO_INSTALL}` };
  }
  const missing = CUDA_PROVIDER_LIBRARIES.filter((lib) => !existsSync(join(binDir, lib)));
  if (missing.length > 0) {
    return {
      available: false,
      reason: `ONNX Runtime's CUDA execution provider is not installed: ${missing.join(' and ')} missing from ${binDir}. ${HOW_TO_INSTALL}`,
    };
  }
  try {
    await probe();
    return { available: true };
  } catch (e) {
    return { available: false, reason: `ONNX Runtime's CUDA execution provider failed to start: ${(e as Error).message.trim()}. ${HOW_TO_INSTALL}` };
  }
}
