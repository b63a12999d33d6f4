/**
 * Resolves the model argument every command takes: an architecture name from the registry
 * (built with --variant/--seed/--input-shape/--classes and its family's own flags, such as
 * GoogLeNet's --no-aux) or a model directory, then --weights FILE loaded into it.
 */
import '@convzoo/arch-lenet';
import '@convzoo/arch-alexnet';
import '@convzoo/arch-vgg';
import '@convzoo/arch-inception';
import '@convzoo/arch-resnet';
import { existsSync, statSync } from 'node:fs';
import { MAX_ACTIVATION_ELEMENTS, create, list, registry, sizeOf, type Model, type ModelFlag, type ModelOptions } from '@convzoo/core';
import { loadModelDir, readFileChecked } from '@convzoo/core/node';
import { externalReader } from '@convzoo/onnx/node';
import { loadWeights } from '@convzoo/weights';
import { MAX_CLASSES, MAX_SEED, int, required, shape3, type Options, type Parsed } from './args.js';
import { UsageError } from './errors.js';

/** The families' own switches (GoogLeNet's --no-aux): data on the registry entries imported above. */
const FAMILY_FLAGS = [...new Set(list().flatMap((e) => (e.flags ?? []).map((f) => f.flag)))];

/** --weights FILE: what every command that takes a model accepts. */
export const WEIGHTS_OPTION: Options = { weights: { type: 'string' } };

/** The flags that shape a model built from the registry. */
export const MODEL_OPTIONS: Options = {
  ...WEIGHTS_OPTION,
  variant: { type: 'string' },
  seed: { type: 'string' },
  'input-shape': { type: 'string' },
  classes: { type: 'string' },
  ...Object.fromEntries(FAMILY_FLAGS.map((flag) => [flag, { type: 'boolean' }])),
};

export function modelOptions(arch: string, values: Parsed['values']): ModelOptions {
  const shape = shape3(values['input-shape'], '--input-shape');
  const classes = int(values.classes, '--classes', 1, MAX_CLASSES);
  const seed = int(values.seed, '--seed', 0, MAX_SEED);
  return {
    ...(typeof values.variant === 'string' ? { variant: values.variant } : {}),
    ...(shape ? { inputShape: shape } : {}),
    ...(classes !== undefined ? { numClasses: classes } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...familyOptions(arch, values),
  };
}

/** What the given family switches set for `arch`; one its entry does not have is a usage error. */
function familyOptions(arch: string, values: Parsed['values']): Record<string, ModelFlag['value']> {
  const given = FAMILY_FLAGS.filter((flag) => values[flag] === true);
  if (given.length === 0) return {};
  const own = registry.get(arch).flags ?? [];
  return Object.fromEntries(given.map((flag) => {
    const f = own.find((o) => o.flag === flag);
    if (f === undefined) {
      const owners = list().filter((e) => e.flags?.some((o) => o.flag === flag)).map((e) => e.name);
      throw new UsageError(`--${flag} does not apply to ${arch}; it applies to ${owners.join(', ')}`);
    }
    return [f.option, f.value];
  }));
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * `<arch|model-dir>`: a directory (or a path with a slash) is loaded; anything else is built.
 * `warn` hears about weights that are NaN or infinite.
 */
export function resolveModel(spec: string, values: Parsed['values'], warn?: (message: string) => void): Model {
  if (isDirectory(spec) || spec.includes('/')) {
    for (const flag of Object.keys(MODEL_OPTIONS)) {
      if (values[flag] !== undefined && !(flag in WEIGHTS_OPTION)) throw new UsageError(`--${flag} applies to an architecture name, not to the model directory ${spec}`);
    }
    return withWeightsFile(loadModelDir(spec, warn ? { onWarning: (m) => warn(`warning: ${m}`) } : {}), values);
  }
  return withWeightsFile(create(spec, modelOptions(spec, values)), values);
}

/**
 * --weights FILE (a .pth / .pt state dict, .safetensors or ONNX file, torchvision / timm names or
 * convzoo's) loaded into the model. Strict unless `report` is given (train initialising a new
 * head): then what did not fit is kept as initialised and reported through it.
 */
export function withWeightsFile(model: Model, values: Parsed['values'], report?: (line: string) => void): Model {
  if (values.weights === undefined) return model;
  const file = required(values.weights as string, '--weights FILE');
  // externalData: an ONNX file's weights may sit beside it (`model.onnx.data`).
  const result = loadWeights(model, readFileChecked(file), { file, strict: report === undefined, externalData: externalReader(file) });
  const kept = [...result.missing, ...result.mismatched];
  if (report !== undefined) {
    report(`--weights ${file}: loaded ${result.loaded.length} of ${model.paramEntries().length} tensors` +
      (kept.length > 0 ? `; kept as initialised: ${kept.join(', ')}` : '') +
      (result.unexpected.length > 0 ? `; unused from the file: ${result.unexpected.join(', ')}` : ''));
  }
  return result.model;
}

/**
 * Refuses a batch whose largest activation would pass core's per-node limit
 * (MAX_ACTIVATION_ELEMENTS, for the whole batch here), before anything is allocated.
 */
export function checkBatch(model: Model, batch: number): void {
  const largest = Math.max(...model.nodes.map((n) => sizeOf(model.shapeOf(n.name))));
  if (batch * largest > MAX_ACTIVATION_ELEMENTS) {
    throw new UsageError(`--batch ${batch} is too large for ${model.name}: its largest activation would hold ${(batch * largest).toLocaleString('en-US')} ` +
      `elements, the limit is ${MAX_ACTIVATION_ELEMENTS.toLocaleString('en-US')} (at most ${Math.floor(MAX_ACTIVATION_ELEMENTS / largest)})`);
  }
}
