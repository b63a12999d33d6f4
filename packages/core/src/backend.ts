import { ConvzooError } from './errors.js';
import type { Model } from './model.js';
import { formatShape, sizeOf, type TensorData } from './tensor.js';

/**
 * What every backend's `compile` accepts; each backend extends it with its own typed options
 * (and refuses keys it does not know, see checkOptionKeys).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- extended per backend
export interface CompileOptions {}

/**
 * Refuses an options object holding a key outside `allowed`, naming it: a misspelt option must
 * be an error, never silently ignored. `what` names the options ("ort compile options").
 */
export function checkOptionKeys(opts: object | undefined, allowed: readonly string[], what: string): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null) throw new ConvzooError('ARGUMENT_INVALID', `${what} must be an object, got ${JSON.stringify(opts)}`);
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new ConvzooError('ARGUMENT_INVALID', `unknown ${what} key "${key}"; expected ${allowed.length > 0 ? `one of: ${allowed.join(', ')}` : 'none'}`);
    }
  }
}

/**
 * A compiled model. `device` is what actually runs (never a silent fallback). predict takes a
 * batch in NHWC float32 and returns the graph's inference outputs, batch first, on every backend.
 */
export interface CompiledModel {
  readonly device: string;
  predict(input: TensorData): Promise<TensorData[]>;
  dispose(): Promise<void>;
}

/** What every backend implements; core imports no implementation. */
export interface Backend<O extends CompileOptions = CompileOptions> {
  readonly name: string;
  /** Devices that can really run here ('cpu', 'wasm', 'webgl', 'cuda', ...). */
  devices(): Promise<string[]>;
  compile(model: Model, opts?: O): Promise<CompiledModel>;
}

/**
 * Checks a predict input against the model (shared so every backend words it the same way):
 * a Float32Array of shape [N, ...inputShape] with matching length.
 */
export function checkPredictInput(model: Model, input: TensorData): number {
  const expected = model.inputShape;
  if (!(input.data instanceof Float32Array)) {
    throw new ConvzooError('ARGUMENT_INVALID', `input data must be a Float32Array, got ${Object.prototype.toString.call(input.data).slice(8, -1)}`);
  }
  const shape = input.shape;
  const ok = shape.length === expected.length + 1 && expected.every((d, i) => shape[i + 1] === d) && Number.isInteger(shape[0]) && shape[0]! >= 1;
  if (!ok) {
    throw new ConvzooError('ARGUMENT_INVALID', `input shape ${formatShape(shape)} does not match the model input [N, ${expected.join(', ')}] (NHWC)`);
  }
  if (input.data.length !== sizeOf(shape)) {
    throw new ConvzooError('ARGUMENT_INVALID', `input holds ${input.data.length} values but its shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
  }
  return shape[0]!;
}
