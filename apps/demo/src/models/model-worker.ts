/**
 * The demo's model worker: everything that takes seconds on a big model happens here, off the
 * main thread: building a model and making its seeded weights, reading a weight file into it
 * (@convzoo/weights' loadWeights, the CLI's loader), exporting it (ONNX, safetensors, model
 * directory) and compiling + predicting on every Run device (tfjs webgl / webgpu / wasm / cpu,
 * onnxruntime-web wasm / webgpu: WebGL through an OffscreenCanvas, WebGPU through the
 * worker's navigator.gpu). The last model built is kept, so a page's build, export and runs
 * share it. Requests are answered one at a time, in order; long ones send progress first.
 */
import { graphToJson, sizeOf, type Model, type Preprocessing, type Shape, type TensorData } from '@convzoo/core';
import { exportOnnx } from '@convzoo/backend-ort/export';
import { loadWeights, type LoadedWeights } from '@convzoo/weights';
import { loadModel, loadModelWithMetadata, type Selection } from './catalog.js';
import { modelFiles, modelZip } from './model-files.js';
import { compileOn, ranOn, type RunDevice } from '../run/devices.js';
import { seededInput } from '../run/input.js';
import { timePredict, type Timed } from '../run/timing.js';

export type ExportFormat = 'onnx-nchw' | 'onnx-nhwc' | 'zip' | 'graph.json' | 'weights.safetensors' | 'preprocessing.json';

export interface WeightsRequest {
  readonly selection: Selection;
  readonly bytes: Uint8Array;
  readonly file: string;
  /** false: tensors the file lacks keep the built model's weights (a new head), and are listed. */
  readonly strict: boolean;
}

/** A model as it crosses the thread boundary: graph JSON and tensors (transferred). */
export interface ModelMessage {
  readonly graph: string;
  readonly preprocessing: Preprocessing | undefined;
  readonly tensors: readonly { key: string; shape: readonly number[]; data: Float32Array }[];
}

export type WorkerRequest =
  /** Build (or reuse) the model; answers what the page shows before any weights are needed. */
  | { readonly kind: 'build'; readonly selection: Selection }
  | ({ readonly kind: 'weights' } & WeightsRequest)
  | { readonly kind: 'export'; readonly selection: Selection; readonly format: ExportFormat; readonly name: string }
  | { readonly kind: 'run'; readonly selection: Selection; readonly device: RunDevice; readonly threads: number | undefined; readonly runs: number; readonly budgetMs: number };

export interface BuildReply { readonly inputShape: Shape; readonly hasPreprocessing: boolean }
export type WeightsResult = ModelMessage & {
  readonly names: LoadedWeights['names'];
  readonly loaded: number;
  readonly missing: readonly string[];
  readonly mismatched: readonly string[];
  readonly unexpected: readonly string[];
};
export interface ExportReply { readonly name: string; readonly blob: Blob; readonly bytes: number }
export interface RunReply { readonly device: string; readonly compileMs: number; readonly timed: Timed }

/** What each request kind answers. */
export interface WorkerReplies {
  build: BuildReply;
  weights: WeightsResult;
  export: ExportReply;
  run: RunReply;
}

/** Progress of a request: `value` of `max` when countable, else a step that may take seconds. */
export interface Progress { readonly text: string; readonly value?: number; readonly max?: number }

export type WorkerMessage =
  | { readonly id: number; readonly kind: 'progress'; readonly progress: Progress }
  | { readonly id: number; readonly kind: 'done'; readonly result: WorkerReplies[keyof WorkerReplies] }
  | { readonly id: number; readonly kind: 'error'; readonly error: string };

const post = (m: WorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let current: { key: string; model: Model; metadata: Readonly<Record<string, string>> } | undefined;

async function built(selection: Selection, progress: (p: Progress) => void) {
  const key = JSON.stringify(selection);
  if (current?.key !== key) {
    progress({ text: 'building the graph…' });
    current = undefined;
    current = { key, ...(await loadModelWithMetadata(selection)) };
  }
  return current;
}

const MB = 1e6;
const about = (bytes: number) => (bytes >= 10 * MB ? `about ${Math.round(bytes / MB)} MB` : `about ${Math.ceil(bytes / 1e3)} kB`);

/** Each buffer transferred once (tensors can be views into one file's buffer). */
const buffers = (tensors: ModelMessage['tensors']) => [...new Set(tensors.map((t) => t.data.buffer as ArrayBuffer))];

async function handle(req: WorkerRequest, progress: (p: Progress) => void): Promise<[WorkerReplies[keyof WorkerReplies], Transferable[]]> {
  switch (req.kind) {
    case 'build': {
      const { model } = await built(req.selection, progress);
      return [{ inputShape: model.inputShape, hasPreprocessing: model.preprocessing !== undefined }, []];
    }
    case 'weights': {
      progress({ text: `reading ${req.file}…` });
      const r = loadWeights(await loadModel(req.selection), req.bytes, { file: req.file, strict: req.strict });
      const tensors = [...r.model.weights].map(([key, t]) => ({ key, shape: t.shape, data: t.data }));
      const reply: WeightsResult = {
        graph: graphToJson(r.model.graph), preprocessing: r.model.preprocessing, tensors, names: r.names,
        loaded: r.loaded.length, missing: r.missing, mismatched: r.mismatched, unexpected: r.unexpected,
      };
      return [reply, buffers(tensors)];
    }
    case 'export': {
      const { model, metadata } = await built(req.selection, progress);
      // The size is said before the bytes are made: the weights dominate every format but graph.json.
      const weightBytes = model.paramEntries().reduce((n, p) => n + 4 * sizeOf(p.shape), 0);
      progress({ text: `writing ${req.name} (${req.format === 'graph.json' || req.format === 'preprocessing.json' ? 'a few kB' : about(weightBytes)})…` });
      const data = exported(model, metadata, req.format, req.name);
      const blob = new Blob([data as BlobPart], { type: req.format === 'graph.json' || req.format === 'preprocessing.json' ? 'application/json' : 'application/octet-stream' });
      return [{ name: req.name, blob, bytes: blob.size }, []];
    }
    case 'run': {
      const { model } = await built(req.selection, progress);
      progress({ text: `compiling on ${req.device}…` });
      const t0 = performance.now();
      const compiled = await compileOn(req.device, model, { threads: req.threads });
      const compileMs = performance.now() - t0;
      try {
        progress({ text: `running on ${req.device}…` });
        const input: TensorData = seededInput(model.inputShape, req.selection.seed);
        const timed = await timePredict(compiled, input, req.runs, req.budgetMs);
        // Outputs are small and may be views of the runtime's memory: copied, not transferred.
        return [{ device: ranOn(req.device, compiled), compileMs, timed }, []];
      } finally {
        await compiled.dispose();
      }
    }
  }
}

function exported(model: Model, metadata: Readonly<Record<string, string>>, format: ExportFormat, name: string): Uint8Array | string {
  switch (format) {
    case 'onnx-nchw': return exportOnnx(model, { inputLayout: 'nchw' });
    case 'onnx-nhwc': return exportOnnx(model, { inputLayout: 'nhwc' });
    case 'zip': return modelZip(name.replace(/\.zip$/, ''), model, metadata);
    default: {
      const data = modelFiles(model, metadata).get(format);
      if (data === undefined) throw new Error(`${format}: this model records no preprocessing`);
      return data;
    }
  }
}

let queue = Promise.resolve();
self.onmessage = (e: MessageEvent<{ id: number; req: WorkerRequest }>) => {
  const { id, req } = e.data;
  queue = queue.then(async () => {
    try {
      const [result, transfer] = await handle(req, (progress) => post({ id, kind: 'progress', progress }));
      post({ id, kind: 'done', result }, transfer);
    } catch (err) {
      post({ id, kind: 'error', error: (err as Error).message });
    }
  });
};
