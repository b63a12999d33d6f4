/**
 * What the pickers offer: every registered architecture (importing the arch packages registers
 * them), the options a builder takes, and the trained models shipped under public/models/.
 */
import '@convzoo/arch-lenet';
import '@convzoo/arch-alexnet';
import '@convzoo/arch-vgg';
import '@convzoo/arch-inception';
import '@convzoo/arch-resnet';
import { ConvzooError, list, registry, type Model, type RegistryEntry } from '@convzoo/core';
import { TRAINED_MODELS } from 'virtual:demo-assets';
import { loadModelDir } from './model-dir.js';

/** One model choice, as the URL query holds it (`?arch=resnet18&input=64,64,3&seed=1`). */
export interface Selection {
  readonly arch: string;
  readonly variant: string;
  /** [H, W, C]; undefined keeps the builder's default. */
  readonly input: readonly [number, number, number] | undefined;
  readonly classes: number | undefined;
  readonly seed: number;
  /** 'seeded' or the name of a trained model directory (public/models/<name>). */
  readonly weights: string;
}

export const SEEDED = 'seeded';

export function entries(): RegistryEntry[] {
  return list();
}

export function families(): string[] {
  return [...new Set(list().map((e) => e.family))];
}

/** The names people know the families by (the registry keys are code names). */
const FAMILY_TITLES: Readonly<Record<string, string>> = {
  lenet: 'LeNet', alexnet: 'AlexNet', vgg: 'VGG', inception: 'GoogLeNet (Inception v1)', resnet: 'ResNet',
};

export const familyTitle = (family: string): string => FAMILY_TITLES[family] ?? family;

export function trainedFor(arch: string): string[] {
  return TRAINED_MODELS.filter((m) => m.arch === arch).map((m) => m.name);
}

function positiveInt(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** One option the query gives that the picker cannot take, said in the picker's own words. */
export interface SelectionProblem {
  readonly field: 'input' | 'classes' | 'seed';
  readonly message: string;
}

/**
 * What is wrong with the query's free-text options: each bad value named with what is expected,
 * so the page can say so instead of quietly building the default.
 */
export function selectionProblems(q: URLSearchParams): SelectionProblem[] {
  const problems: SelectionProblem[] = [];
  const input = q.get('input') ?? '';
  if (input !== '') {
    const dims = input.split(',').map((d) => positiveInt(d.trim()));
    if (dims.length !== 3 || dims.some((d) => d === undefined)) {
      problems.push({ field: 'input', message: `Input "${input}": expected H,W,C as three positive integers separated by commas, such as 224,224,3` });
    }
  }
  const classes = q.get('classes') ?? '';
  if (classes !== '' && positiveInt(classes) === undefined) {
    problems.push({ field: 'classes', message: `Classes "${classes}": expected a whole number of classes, 1 or more` });
  }
  const seed = q.get('seed') ?? '';
  if (seed !== '' && !(Number.isInteger(Number(seed)) && Number(seed) >= 0)) {
    problems.push({ field: 'seed', message: `Seed "${seed}": expected a whole number, 0 or more` });
  }
  return problems;
}

/** Reads a selection from a URL query, falling back to LeNet-5 (paper) with seed 0. */
export function readSelection(q: URLSearchParams): Selection {
  const arch = list().some((e) => e.name === q.get('arch')) ? q.get('arch')! : 'lenet5';
  const entry = registry.get(arch);
  const variant = entry.variants.includes(q.get('variant') ?? '') ? q.get('variant')! : entry.variants[0]!;
  const dims = (q.get('input') ?? '').split(',').map((d) => positiveInt(d.trim()));
  const input = dims.length === 3 && dims.every((d) => d !== undefined) ? (dims as [number, number, number]) : undefined;
  const weights = trainedFor(arch).includes(q.get('weights') ?? '') ? q.get('weights')! : SEEDED;
  return { arch, variant, input, classes: positiveInt(q.get('classes')), seed: Number(q.get('seed') ?? 0) || 0, weights };
}

export function writeSelection(s: Selection): URLSearchParams {
  const q = new URLSearchParams({ arch: s.arch, variant: s.variant });
  if (s.input) q.set('input', s.input.join(','));
  if (s.classes !== undefined) q.set('classes', String(s.classes));
  if (s.seed !== 0) q.set('seed', String(s.seed));
  if (s.weights !== SEEDED) q.set('weights', s.weights);
  return q;
}

/** A readable one-liner for headings: "resnet18 (paper), input 64x64x3, seed 0". */
export function describe(s: Selection): string {
  if (s.weights !== SEEDED) return `${s.arch}, trained weights "${s.weights}"`;
  const parts = [`${s.arch} (${s.variant})`];
  if (s.input) parts.push(`input ${s.input.join('x')}`);
  if (s.classes !== undefined) parts.push(`${s.classes} classes`);
  parts.push(`seeded weights (seed ${s.seed})`);
  return parts.join(', ');
}

/** Builds (seeded) or fetches (trained) the selected model. Errors are ConvzooErrors with the builder's message. */
export async function loadModel(s: Selection): Promise<Model> {
  return (await loadModelWithMetadata(s)).model;
}

/** loadModel, with the training metadata a trained model's weights file records (none for seeded weights). */
export async function loadModelWithMetadata(s: Selection): Promise<{ model: Model; metadata: Readonly<Record<string, string>> }> {
  if (s.weights !== SEEDED) return loadModelDir(s.weights);
  try {
    const model = registry.get(s.arch).create({
      variant: s.variant, seed: s.seed, ...(s.input ? { inputShape: s.input } : {}), ...(s.classes !== undefined ? { numClasses: s.classes } : {}),
    });
    return { model, metadata: {} };
  } catch (e) {
    if (e instanceof ConvzooError) throw e;
    throw new ConvzooError('ARGUMENT_INVALID', `cannot build ${s.arch}: ${(e as Error).message}`);
  }
}
