import type { Model, TensorData } from '@convzoo/core';

/** Debian's python3-torch by default; CONVZOO_TORCH_PYTHON names another interpreter with torch and numpy. */
export const PYTHON: string;
/** run-module.py: DIR WEIGHTS INPUT.npy OUTPUT.npy. */
export const RUNNER: string;
/** The models of the committed fixtures (src/__tests__/fixtures), rebuilt by the tests. */
export const FIXTURE_MODELS: Readonly<Record<'lenet5' | 'resnet18', () => Model>>;
/** Every registry variant at a small input where the net allows (and GoogLeNet with transform_input), by a readable name. */
export const VARIANTS: Readonly<Record<string, () => Model>>;
/** The fixtures' NHWC input: randomInput([2, ...inputShape], INPUT_SEED). */
export const INPUT_SEED: number;
/** Why the torch tests are skipped, or undefined when /usr/bin/python3 imports torch and numpy. */
export function torchMissing(): string | undefined;
/** The generated module with the model's exported weights, run by torch (eval, float32) on an NHWC input: its first output. */
export function torchPredict(model: Model, input: TensorData): TensorData;
