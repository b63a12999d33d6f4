/**
 * What the runtime layer needs from an ONNX Runtime JS package. onnxruntime-node and
 * onnxruntime-web both implement onnxruntime-common's API, so sessions, compiled models and the
 * trainer are written once against it; each entry (node, web) supplies its package and devices.
 */
import type { Model } from '@convzoo/core';
import type { ExportOptions } from '@convzoo/onnx';
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** A model written where the session can read it from (see OrtRuntime.stage). */
export interface StagedModel {
  /** The ONNX file, its weights as external data beside it. */
  readonly path: string;
  /** Removes the files (once the session has read them). */
  dispose(): void;
}

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
  /**
   * Writes a large model to a file for the session to open, or returns undefined (small models,
   * a runtime without files, or no room on disk). onnxruntime-node parses a model given as bytes
   * into a protobuf copy before it builds its own tensors, so bytes hold the weights twice more
   * while the session starts; from a file with external data it reads each tensor straight into
   * its own buffer. Absent: sessions open from bytes.
   */
  readonly stage?: (model: Model, opts: ExportOptions) => StagedModel | undefined;
  /**
   * Why `device` would compute `model` wrongly (a node whose kernel there ignores one of its
   * attributes), or undefined. Checked before a session opens: such a model is an UNSUPPORTED
   * error naming the node, never wrong numbers.
   */
  readonly wrongOn?: (model: Model, device: D) => string | undefined;
  /**
   * ONNX Runtime's channel block for its blocked-layout CPU convolutions (com.microsoft.nchwc),
   * or undefined where they do not run; the 'cpu' device's training graphs then take them
   * (StepGraphOptions.nchwcBlock). Absent: never.
   */
  readonly nchwcBlock?: () => Promise<number | undefined>;
  /** Every device the entry knows, the first the default. */
  readonly devices: readonly D[];
  /** The devices that can really run here. */
  available(): Promise<D[]>;
  /** Rejects with DEVICE_UNAVAILABLE and the reason when `device` cannot run here: never a fallback. */
  ensureDevice(device: D): Promise<void>;
}
