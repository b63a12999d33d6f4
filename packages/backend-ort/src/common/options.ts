/** The backend's options, one typed set for both entries, checked once. */
import { checkOptionKeys, ConvzooError, type CompileOptions, type TensorData } from '@convzoo/core';
import type { Precision } from '@convzoo/onnx';
import type { InferenceSession } from 'onnxruntime-common';

export interface OrtOptions<D extends string> {
  /** Where the graphs run (node: 'cpu' default, 'cuda'; web: 'wasm' default, 'webgpu'): never a silent fallback. */
  readonly device?: D;
  /** Intra-op threads (default: ONNX Runtime's choice, one per physical core). */
  readonly threads?: number;
  /**
   * Passed to InferenceSession.create over convzoo's settings, e.g.
   * `{ extra: { session: { intra_op: { allow_spinning: '0' } } } }` when sessions share a machine.
   */
  readonly sessionOptions?: InferenceSession.SessionOptions;
}

export interface OrtCompileOptions extends CompileOptions {
  /** Fold BatchNorm into the preceding Conv2D / Dense (default true). */
  readonly foldBatchNorm?: boolean;
  /**
   * 'fp32' (default); 'fp16' (float16 weights, float32 compute) or 'int8' (static QDQ, which ONNX
   * Runtime runs as QLinearConv / QGemm): the model runs through @convzoo/onnx's export in that precision.
   */
  readonly precision?: Precision;
  /** int8 only, and required there: sample input batches (NHWC, preprocessed) to calibrate the activation ranges on. */
  readonly calibration?: readonly TensorData[];
}

export const COMPILE_OPTION_KEYS: readonly (keyof OrtCompileOptions)[] = ['foldBatchNorm', 'precision', 'calibration'];

/** Checks the options (unknown keys, device, threads); returns the device. */
export function checkOrtOptions<D extends string>(opts: OrtOptions<D>, devices: readonly D[], extraKeys: readonly string[] = []): D {
  checkOptionKeys(opts, ['device', 'threads', 'sessionOptions', ...extraKeys], 'ort options');
  const device = opts.device ?? devices[0]!;
  if (!devices.includes(device)) {
    throw new ConvzooError('ARGUMENT_INVALID', `ort device must be one of ${devices.join(', ')}, got ${JSON.stringify(device)}`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new ConvzooError('ARGUMENT_INVALID', `threads must be a positive integer, got ${JSON.stringify(opts.threads)}`);
  }
  return device;
}
