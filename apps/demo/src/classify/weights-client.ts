/** The page side of the weights worker: one request at a time, the reply turned back into a Model. */
import { Model, graphFromJson, type TensorMap } from '@convzoo/core';
import type { WeightsReply, WeightsRequest } from './weights-worker.js';

let worker: Worker | undefined;

/** Reads a weight file into `req.selection`'s architecture in the worker (created on first use). */
export function readWeights(req: WeightsRequest): Promise<WeightsReply> {
  worker ??= new Worker(new URL('./weights-worker.ts', import.meta.url), { type: 'module' });
  const w = worker;
  return new Promise((resolve) => {
    w.onmessage = (e: MessageEvent<WeightsReply>) => resolve(e.data);
    w.onerror = (e) => resolve({ ok: false, error: `the weights worker failed: ${e.message}` });
    w.postMessage(req, [req.bytes.buffer as ArrayBuffer]);
  });
}

/** The model a successful reply describes. */
export function modelFromReply(reply: Extract<WeightsReply, { ok: true }>, file: string): Model {
  const weights: TensorMap = new Map(reply.tensors.map((t) => [t.key, { shape: t.shape, data: t.data }]));
  return new Model(graphFromJson(reply.graph, file), weights, { preprocessing: reply.preprocessing });
}
