/**
 * What the runtime layer needs from an ONNX Runtime JS package. onnxruntime-node and
 * onnxruntime-web both implement onnxruntime-common's API, so sessions, compiled models and the
 * trainer are written once against it; each entry (node, web) supplies its package and devices.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

export interface OrtRuntime<D extends string> {
  readonly InferenceSession: typeof InferenceSession;
  readonly Tensor: typeof Tensor;
  /**
   * Whether session.run writes outputs into preallocated tensors passed as fetches
   * (onnxruntime-node does; onnxruntime-web's wasm build returns them untouched).
   */
  readonly fillsPreallocatedOutputs: boolean;
  /**
   * Whether a session takes one run at a time (onnxruntime-web rejects a second with "Session
   * already started"), so that predicts on one compiled model are queued. Default false.
   */
  readonly runsOneAtATime?: boolean;
  /** Every device the entry knows, the first the default. */
  readonly devices: readonly D[];
  /** The devices that can really run here. */
  available(): Promise<D[]>;
  /** Rejects with DEVICE_UNAVAILABLE and the reason when `device` cannot run here: never a fallback. */
  ensureDevice(device: D): Promise<void>;
}
