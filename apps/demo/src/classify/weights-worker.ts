/**
 * Reads a weight file into the selected architecture off the main thread: @convzoo/weights'
 * loadWeights (the CLI's loader) parses and converts; the result comes back as graph JSON and
 * transferred tensors.
 */
import { graphToJson, type Preprocessing } from '@convzoo/core';
import { loadWeights, type LoadedWeights } from '@convzoo/weights';
import { loadModel, type Selection } from '../models/catalog.js';

export interface WeightsRequest {
  readonly selection: Selection;
  readonly bytes: Uint8Array;
  readonly file: string;
  /** false: tensors the file lacks keep the built model's weights (a new head), and are listed. */
  readonly strict: boolean;
}

export type WeightsReply =
  | {
    readonly ok: true;
    readonly graph: string;
    readonly preprocessing: Preprocessing | undefined;
    readonly tensors: readonly { key: string; shape: readonly number[]; data: Float32Array }[];
    readonly names: LoadedWeights['names'];
    readonly loaded: number;
    readonly missing: readonly string[];
    readonly mismatched: readonly string[];
    readonly unexpected: readonly string[];
  }
  | { readonly ok: false; readonly error: string };

self.onmessage = async (e: MessageEvent<WeightsRequest>) => {
  const { selection, bytes, file, strict } = e.data;
  try {
    const r = loadWeights(await loadModel(selection), bytes, { file, strict });
    const tensors = [...r.model.weights].map(([key, t]) => ({ key, shape: t.shape, data: t.data }));
    const reply: WeightsReply = {
      ok: true, graph: graphToJson(r.model.graph), preprocessing: r.model.preprocessing, tensors, names: r.names,
      loaded: r.loaded.length, missing: r.missing, mismatched: r.mismatched, unexpected: r.unexpected,
    };
    // Tensors can share one buffer (views into the file): each buffer is transferred once.
    (self as unknown as Worker).postMessage(reply, [...new Set(tensors.map((t) => t.data.buffer as ArrayBuffer))]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ ok: false, error: (err as Error).message } satisfies WeightsReply);
  }
};
