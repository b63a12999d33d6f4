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
   * Passed to InferenceSession.create over convzoo's settings (`extra` merged key by key), e.g.
   * `{ extra: { session: { intra_op: { allow_spinning: '0' } } } }` when sessions share a machine.
   *
   * A model compiled from a staged file (Node, over 64 MiB of weights) opens with
   * `session.disable_prepacking` '1': ONNX Runtime maps the file's weights, and packing the fully
   * connected ones for MLAS would copy them while the mapped originals are read (VGG-19's compile
   * peak 2.81x -> 1.39x its weight bytes), at a predict cost of about 1% at batch 1 and 4% at
   * batch 8 (BENCHMARKS.md section 6). Once run, the mapped weights are resident as file-backed
   * pages, which the kernel can drop and read again. `{ extra: { session: { disable_prepacking:
   * '0' } } }` packs them anyway.
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
