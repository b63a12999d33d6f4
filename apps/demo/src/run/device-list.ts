/** The Run page's device names, apart from the runtimes (devices.ts) so the page can list them without loading tfjs or ORT. */
export const RUN_DEVICES = ['tfjs-webgl', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu', 'ort-wasm', 'ort-webgpu'] as const;
export type RunDevice = (typeof RUN_DEVICES)[number];

export const isRunDevice = (d: string): d is RunDevice => (RUN_DEVICES as readonly string[]).includes(d);
