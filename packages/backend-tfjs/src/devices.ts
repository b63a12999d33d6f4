/**
 * The devices a tfjs model can run on, how each is loaded, and the switch between them. tfjs
 * keeps one active backend per process, so every compiled model and training run calls
 * `useDevice` before it touches tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConvzooError } from '@convzoo/core';
import { registerConv2DBackpropFilter } from './kernels/conv2d-backprop-filter.js';

export const DEVICES = ['wasm', 'cpu', 'webgl', 'webgpu', 'tensorflow'] as const;
export type TfjsDevice = (typeof DEVICES)[number];

export interface DeviceOptions {
  /** Where the browser fetches the wasm binaries (tfjs's `setWasmPaths`); Node finds them itself. */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
}

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/** Imports a package by a name bundlers leave alone: optional peers may not be installed. */
async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ name);
}

/**
 * Loads the package behind a device (if the user has not imported it already) and returns the
 * tfjs backend name, or throws an Error whose message says why the device cannot run here.
 */
const LOADERS: Record<TfjsDevice, (opts: DeviceOptions) => Promise<string>> = {
  async wasm(opts) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (opts.wasmPaths !== undefined) wasm.setWasmPaths(opts.wasmPaths as string);
    return 'wasm';
  },
  async cpu() {
    await import('@tensorflow/tfjs-backend-cpu');
    return 'cpu';
  },
  async webgl() {
    if (tf.findBackendFactory('webgl') === null) {
      await importOptional('@tensorflow/tfjs-backend-webgl').catch(() => {
        throw new Error(isNode ? 'install @tensorflow/tfjs-backend-webgl' : "import '@tensorflow/tfjs-backend-webgl' in the app before using this device (install it)");
      });
    }
    // The package registers its backend only where a browser (a document) exists.
    if (tf.findBackendFactory('webgl') === null) throw new Error('WebGL needs a browser');
    return 'webgl';
  },
  async webgpu() {
    if (typeof navigator === 'undefined' || !('gpu' in navigator)) throw new Error('this environment has no WebGPU (navigator.gpu)');
    if (tf.findBackendFactory('webgpu') === null) {
      await importOptional('@tensorflow/tfjs-backend-webgpu').catch(() => {
        // A bundled page cannot import an optional peer by its bare name: the app imports it.
        throw new Error(isNode ? 'install @tensorflow/tfjs-backend-webgpu' : "import '@tensorflow/tfjs-backend-webgpu' in the app before using this device (install it)");
      });
    }
    return 'webgpu';
  },
  async tensorflow() {
    if (!isNode) throw new Error('libtensorflow runs in Node.js only');
    if (tf.findBackendFactory('tensorflow') === null) {
      // Quiets libtensorflow's C++ start-up log unless the user chose a level.
      process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
      const loaded = await importOptional('@tensorflow/tfjs-node-gpu').then(() => true, () => false)
        || await importOptional('@tensorflow/tfjs-node').then(() => true, () => false);
      if (!loaded) throw new Error('install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu');
      if (tf.findBackendFactory('tensorflow') === null) {
        throw new Error('tfjs-node registered its backend on another copy of @tensorflow/tfjs-core; install @tensorflow/tfjs-core 4.22.0 once (deduplicated)');
      }
    }
    return 'tensorflow';
  },
};

const cache = new Map<TfjsDevice, Promise<string>>();
/** Initializations run one at a time: tfjs drops (reports as failed) one that another overtakes. */
let queue: Promise<unknown> = Promise.resolve();

/** Loads and initializes a device once; rejects with the reason it is unavailable. */
function prepare(device: TfjsDevice, opts: DeviceOptions): Promise<string> {
  let p = cache.get(device);
  if (p === undefined) {
    p = queue.then(async () => {
      const backend = await LOADERS[device](opts);
      const previous = tf.engine().backendName;
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not initialize its ${backend} backend here`);
      afterInit(backend);
      if (previous) await tf.setBackend(previous);
      return backend;
    });
    queue = p.catch(() => undefined);
    cache.set(device, p);
  }
  return p;
}

/** Per-backend fixes applied once the backend exists. */
function afterInit(backend: string): void {
  if (backend === 'cpu') {
    // The cpu backend prints a "Hi, looks like you are running TensorFlow.js in Node.js" banner
    // on its first write; a library must not write to stderr on its own.
    (tf.findBackend('cpu') as unknown as { firstUse?: boolean }).firstUse = false;
  }
  if (backend === 'wasm' || backend === 'cpu') registerConv2DBackpropFilter(backend);
}

export function checkDeviceName(device: unknown): TfjsDevice {
  if (!DEVICES.includes(device as TfjsDevice)) {
    throw new ConvzooError('ARGUMENT_INVALID', `unknown tfjs device ${JSON.stringify(device)}; expected one of: ${DEVICES.join(', ')}`);
  }
  return device as TfjsDevice;
}

/** The devices that really run here, in the order of DEVICES. */
export async function availableDevices(opts: DeviceOptions = {}): Promise<TfjsDevice[]> {
  const ok = await Promise.all(DEVICES.map((d) => prepare(d, opts).then(() => true, () => false)));
  return DEVICES.filter((_, i) => ok[i]);
}

/** wasm in Node; in a browser the first of webgl, wasm and cpu that runs (webgpu is opt-in). */
export async function defaultDevice(opts: DeviceOptions = {}): Promise<TfjsDevice> {
  if (isNode) return 'wasm';
  const order: TfjsDevice[] = ['webgl', 'wasm', 'cpu'];
  for (const d of order) {
    if (await prepare(d, opts).then(() => true, () => false)) return d;
  }
  return 'cpu';
}

/**
 * Loads a device or throws DEVICE_UNAVAILABLE naming why and listing the devices that are
 * available; never falls back to another device.
 */
export async function loadDevice(device: TfjsDevice, opts: DeviceOptions = {}): Promise<void> {
  try {
    await prepare(device, opts);
  } catch (e) {
    const available = await availableDevices(opts);
    throw new ConvzooError(
      'DEVICE_UNAVAILABLE',
      `tfjs device "${device}" is not available: ${(e as Error).message}; available here: ${available.join(', ') || '(none)'}`,
    );
  }
}

/** Makes the device's backend the active one (cheap when it already is). */
export async function useDevice(device: TfjsDevice): Promise<void> {
  const backend = await prepare(device, {});
  if (tf.engine().backendName !== backend) await tf.setBackend(backend);
}
