/** Opens ONNX Runtime sessions for one device: the device guard and convzoo's settings in one place. */
import type { InferenceSession } from 'onnxruntime-common';
import type { OrtOptions } from './options.js';
import type { OrtRuntime } from './runtime.js';

export interface Sessions<D extends string> {
  readonly runtime: OrtRuntime<D>;
  readonly device: D;
  /**
   * A session on the device for `bytes`. `occasional` sessions (evaluation between training
   * steps) do not spin their threads, which would slow the session that runs all the time.
   */
  open(bytes: Uint8Array, occasional?: boolean): Promise<InferenceSession>;
}

export function sessionsFor<D extends string>(runtime: OrtRuntime<D>, device: D, opts: OrtOptions<D>): Sessions<D> {
  return {
    runtime,
    device,
    async open(bytes, occasional = false) {
      await runtime.ensureDevice(device);
      return runtime.InferenceSession.create(bytes, {
        executionProviders: [device],
        ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {}),
        ...(occasional ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
        ...opts.sessionOptions,
      });
    },
  };
}
