/** Opens ONNX Runtime sessions for one device: the device guard and convzoo's settings in one place. */
import { ConvzooError, type Model } from '@convzoo/core';
import type { InferenceSession } from 'onnxruntime-common';
import type { OrtOptions } from './options.js';
import type { OrtRuntime } from './runtime.js';

export interface Sessions<D extends string> {
  readonly runtime: OrtRuntime<D>;
  readonly device: D;
  /**
   * A session on the device for `model`: ONNX bytes, or the path of an ONNX file (a staged model). `occasional` sessions (evaluation between training
   * steps) do not spin their threads, which would slow the session that runs all the time. `prepack`
   * false sets session.disable_prepacking (see OrtOptions.sessionOptions).
   */
  open(model: Uint8Array | string, occasional?: boolean, prepack?: boolean): Promise<InferenceSession>;
  /** Throws UNSUPPORTED when the device would compute `model` wrongly (OrtRuntime.wrongOn). */
  check(model: Model): void;
}

export function sessionsFor<D extends string>(runtime: OrtRuntime<D>, device: D, opts: OrtOptions<D>): Sessions<D> {
  return {
    runtime,
    device,
    check(model) {
      const why = runtime.wrongOn?.(model, device);
      if (why !== undefined) throw new ConvzooError('UNSUPPORTED', `ort device '${device}': ${why}`);
    },
    async open(model, occasional = false, prepack = true) {
      await runtime.ensureDevice(device);
      const ours = {
        ...(occasional ? { intra_op: { allow_spinning: '0' } } : {}),
        ...(prepack ? {} : { disable_prepacking: '1' }),
      };
      const extra = mergeConfig(Object.keys(ours).length > 0 ? { session: ours } : {}, opts.sessionOptions?.extra ?? {});
      const options: InferenceSession.SessionOptions = {
        executionProviders: [device],
        ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {}),
        ...opts.sessionOptions,
        ...(Object.keys(extra).length > 0 ? { extra } : {}),
      };
      // Two calls, not one over a union: create's overloads take either a path or bytes.
      return typeof model === 'string' ? runtime.InferenceSession.create(model, options) : runtime.InferenceSession.create(model, options);
    },
  };
}

/** Config entries key by key, `over`'s winning: a caller's extra keeps convzoo's other entries. */
function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isRecord(b) && isRecord(v) ? mergeConfig(b, v) : v;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
