/**
 * @convzoo/backend-ort/web: convzoo models on ONNX Runtime in browsers (onnxruntime-web: wasm,
 * and webgpu where a WebGPU session really starts), the same backend as the Node entry.
 */
import { ConvzooError, GraphBuilder, Model, poolDilation } from '@convzoo/core';
import { exportOnnx } from '@convzoo/onnx';
import * as ortWeb from 'onnxruntime-web';
import * as ortWebWasm from 'onnxruntime-web/wasm';
import { OrtBackend } from './common/backend.js';
import type { OrtOptions } from './common/options.js';
import type { OrtRuntime } from './common/runtime.js';

export { OrtBackend } from './common/backend.js';
export { OrtCompiledModel } from './common/compiled-model.js';
export type { OrtCompileOptions, OrtOptions } from './common/options.js';

export type OrtWebDevice = 'wasm' | 'webgpu';
export const ORT_WEB_DEVICES: readonly OrtWebDevice[] = ['wasm', 'webgpu'];

export interface OrtWebOptions extends OrtOptions<OrtWebDevice> {
  /**
   * Where onnxruntime-web finds its .wasm files (env.wasm.wasmPaths): a URL prefix, or the
   * bundler's URLs of the files of the build the device runs, e.g. `{ wasm: url, mjs: url }` with
   * Vite's `?url` import: `ort-wasm-simd-threaded.{wasm,mjs}` for 'wasm' in a browser,
   * `ort-wasm-simd-threaded.jsep.{wasm,mjs}` for 'webgpu' (see `ortWebBuild`). Nothing is fetched
   * from a CDN unless this says so.
   */
  readonly wasmPaths?: ortWeb.Env.WasmPrefixOrFilePaths;
  /**
   * Receives one line when the backend runs slower than asked or than the browser allows (wasm on
   * one thread because the page is not cross-origin isolated). Default: console.info.
   */
  readonly onNotice?: (message: string) => void;
}

export type WebgpuStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

interface Gpu {
  requestAdapter(): Promise<unknown>;
}

type OrtWebModule = typeof ortWeb;

function inBrowser(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return scope.document !== undefined || scope.WorkerGlobalScope !== undefined;
}

/**
 * The onnxruntime-web build a device runs on. In a browser, 'wasm' runs the plain build
 * (onnxruntime-web/wasm): the JSEP build that carries the WebGPU provider runs wasm threads far
 * worse (ResNet-18 64x64 in Chromium on 2 cores, median of 60 runs: 29-31 ms on 2 threads, slower
 * than its 21-24 ms on one; the plain build 12-14 ms against 19-22 ms). Node has one build.
 */
export function ortWebBuild(device: OrtWebDevice): 'plain' | 'jsep' | 'node' {
  if (!inBrowser()) return 'node';
  return device === 'wasm' ? 'plain' : 'jsep';
}

function moduleFor(device: OrtWebDevice): OrtWebModule {
  return ortWebBuild(device) === 'plain' ? (ortWebWasm as OrtWebModule) : ortWeb;
}

let webgpu: Promise<WebgpuStatus> | undefined;
/** The builds that may have started: a build's thread pool is fixed from then on. */
const started = new Set<OrtWebModule>();

/**
 * Whether onnxruntime-web's WebGPU execution provider really runs here: an adapter, then a
 * one-op session on it that starts and runs. Cached: the probe runs once per page.
 */
export function ortWebgpuStatus(): Promise<WebgpuStatus> {
  webgpu ??= (async (): Promise<WebgpuStatus> => {
    started.add(ortWeb);
    const gpu = (globalThis.navigator as { gpu?: Gpu } | undefined)?.gpu;
    if (gpu === undefined) return { available: false, reason: 'this browser has no WebGPU (navigator.gpu is missing; it needs a secure context)' };
    try {
      if ((await gpu.requestAdapter()) === null) return { available: false, reason: 'navigator.gpu.requestAdapter() found no adapter' };
    } catch (e) {
      return { available: false, reason: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
    }
    try {
      const g = new GraphBuilder('webgpu_probe');
      const session = await ortWeb.InferenceSession.create(exportOnnx(Model.init(g.build([g.relu(g.input([4]))]))), { executionProviders: ['webgpu'], logSeverityLevel: 3 });
      try {
        await session.run({ [session.inputNames[0]!]: new ortWeb.Tensor('float32', new Float32Array(4), [1, 4]) });
      } finally {
        await session.release();
      }
      return { available: true };
    } catch (e) {
      return { available: false, reason: `onnxruntime-web's WebGPU execution provider failed to start: ${(e as Error).message.trim()}` };
    }
  })();
  return webgpu;
}

/**
 * onnxruntime-web 1.30's WebGPU pooling gets dilated windows wrong (found by the browser
 * conformance run): AveragePool ignores `dilations` (its output has the undilated window's
 * shape), MaxPool with dilations and pads gives wrong values. A dilated pool is refused there.
 */
function webgpuWrong(model: Model): string | undefined {
  const node = model.nodes.find((n) => (n.op === 'AvgPool2D' || n.op === 'MaxPool2D') && poolDilation(n.attrs).some((d) => d !== 1));
  if (node?.op !== 'AvgPool2D' && node?.op !== 'MaxPool2D') return undefined;
  return `node "${node.name}": ${node.op} with dilation ${poolDilation(node.attrs).join('x')} is computed wrongly by onnxruntime-web's WebGPU pooling (dilated windows); run this model on 'wasm'`;
}

const webRuntime = (ort: OrtWebModule): OrtRuntime<OrtWebDevice> => ({
  InferenceSession: ort.InferenceSession,
  Tensor: ort.Tensor,
  fillsPreallocatedOutputs: false,
  runsOneAtATime: true,
  wrongOn: (model, device) => (device === 'webgpu' ? webgpuWrong(model) : undefined),
  devices: ORT_WEB_DEVICES,
  async available() {
    return (await ortWebgpuStatus()).available ? ['wasm', 'webgpu'] : ['wasm'];
  },
  async ensureDevice(device) {
    started.add(ort);
    if (device !== 'webgpu') return;
    const status = await ortWebgpuStatus();
    if (!status.available) throw new ConvzooError('DEVICE_UNAVAILABLE', `device 'webgpu' requested: ${status.reason}`);
  },
});

let noticed = false;

/**
 * The wasm thread count to ask for. In a browser, threads need SharedArrayBuffer, which only a
 * cross-origin isolated page has: there the default is every logical core (onnxruntime-web's
 * own default is half of them, at most 4); elsewhere one thread, said once per page through `notice`.
 * Outside a browser (Node), onnxruntime-web's default stands unless `threads` is given.
 */
function wasmThreads(requested: number | undefined, notice: (message: string) => void): number | undefined {
  const page = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (!inBrowser()) return requested;
  if (page.crossOriginIsolated === true) return requested ?? page.navigator?.hardwareConcurrency ?? 1;
  if (requested !== 1 && !noticed) {
    noticed = true;
    notice(
      'onnxruntime-web runs on one thread: this page is not cross-origin isolated, so it has no SharedArrayBuffer for wasm threads ' +
      '(serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    );
  }
  return 1;
}

/**
 * The thread count device 'wasm' runs on (env.wasm.numThreads of its build). It is fixed when
 * the build's first session starts; `ort()` calls after that do not change it.
 */
export function ortWebThreads(): number | undefined {
  return moduleFor('wasm').env.wasm.numThreads;
}

/**
 * An ONNX Runtime backend in the browser on `device` ('wasm' by default; 'webgpu' where its
 * session does not really start is a DEVICE_UNAVAILABLE error, never a wasm fallback).
 * `threads` sets env.wasm.numThreads; by default every core where the page is cross-origin
 * isolated, else one thread and a notice saying why (see `onNotice`).
 */
export function ort(opts: OrtWebOptions = {}): OrtBackend<OrtWebDevice> {
  const { wasmPaths, onNotice = (m: string) => console.info(m), ...common } = opts;
  const ort = moduleFor(opts.device === 'webgpu' ? 'webgpu' : 'wasm');
  // ORT's C++ warnings reach console.error in a page; the usual one (shape ops placed on the CPU
  // beside webgpu) is by design, so only errors are logged unless sessionOptions say otherwise.
  const backend = new OrtBackend(webRuntime(ort), { ...common, sessionOptions: { logSeverityLevel: 3, ...common.sessionOptions } });
  if (wasmPaths !== undefined) ort.env.wasm.wasmPaths = wasmPaths;
  const threads = wasmThreads(opts.threads, onNotice);
  if (threads !== undefined && !started.has(ort)) ort.env.wasm.numThreads = threads;
  return backend;
}
