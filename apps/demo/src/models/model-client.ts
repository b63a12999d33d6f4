/**
 * The page side of the model worker (model-worker.ts): one shared worker, requests matched to
 * replies by id, progress passed to the caller, models turned back into `Model`s.
 */
import { Model, graphFromJson, type TensorMap } from '@convzoo/core';
import type { Progress, WeightsRequest, WeightsResult, WorkerMessage, WorkerReplies, WorkerRequest, ModelMessage } from './model-worker.js';

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void; progress?: ((p: Progress) => void) | undefined }>();

function connect(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./model-worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<WorkerMessage>) => {
    const m = e.data;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.kind === 'progress') return p.progress?.(m.progress);
    pending.delete(m.id);
    if (m.kind === 'done') p.resolve(m.result);
    else p.reject(new Error(m.error));
  };
  // A worker that fails to load or crashes answers nothing more: every waiting request fails, and the next one starts a new worker.
  w.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(`the model worker failed: ${e.message}`));
    pending.clear();
    w.terminate();
    worker = undefined;
  };
  return (worker = w);
}

/** Sends one request to the model worker (started on first use); `onProgress` hears its progress messages. */
export function ask<R extends WorkerRequest>(req: R, onProgress?: (p: Progress) => void, transfer: Transferable[] = []): Promise<WorkerReplies[R['kind']]> {
  const w = connect();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (r: unknown) => void, reject, progress: onProgress });
    w.postMessage({ id, req }, transfer);
  });
}

export type WeightsReply = ({ readonly ok: true } & WeightsResult) | { readonly ok: false; readonly error: string };

/** Reads a weight file into `req.selection`'s architecture in the worker (the file's bytes are transferred). */
export function readWeights(req: WeightsRequest): Promise<WeightsReply> {
  return ask({ kind: 'weights', ...req }, undefined, [req.bytes.buffer as ArrayBuffer]).then(
    (r) => ({ ok: true as const, ...r }),
    (e: Error) => ({ ok: false as const, error: e.message }),
  );
}

/** The model a worker reply describes. */
export function modelFromReply(reply: ModelMessage, file: string): Model {
  const weights: TensorMap = new Map(reply.tensors.map((t) => [t.key, { shape: t.shape, data: t.data }]));
  return new Model(graphFromJson(reply.graph, file), weights, { preprocessing: reply.preprocessing });
}
