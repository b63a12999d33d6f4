import { ConvzooError } from './errors.js';
import type { Model } from './model.js';
import type { Preprocessing } from './preprocessing.js';

export interface PaperRef {
  readonly title: string;
  readonly authors: string;
  readonly year: number;
  readonly url: string;
}

/** A model card in the manner of timm's pretrained cfgs and torchvision's weight meta. */
export interface ModelCard {
  readonly name: string;
  readonly family: string;
  readonly variant: string;
  readonly description: string;
  /** Default input (H, W, C) and the smallest square input the network accepts. */
  readonly inputShape: readonly [number, number, number];
  readonly minInputSize: number;
  readonly numClasses: number;
  readonly params: { readonly trainable: number; readonly nonTrainable: number };
  /** Inference MACs at the default input, batch 1. */
  readonly macs: number;
  readonly paper: PaperRef;
  /** Where the variant departs from the paper, and where the source article's code differs. */
  readonly notes: readonly string[];
  /** How images become inputs at `inputShape` (torchvision's `weights.transforms()`); models get it fitted to their input. */
  readonly preprocessing?: Preprocessing;
  /**
   * Other names for nodes, such as torchvision's module names (`inception4e`, `avgpool`), for
   * feature extraction; dotted module paths (`layer4.1`) resolve without an entry (see `resolveLayer`).
   */
  readonly layerAliases?: Readonly<Record<string, string>>;
}

/** Options every builder understands (Keras Applications / timm style). */
export interface ModelOptions {
  readonly variant?: string;
  /** [H, W, C]. */
  readonly inputShape?: readonly [number, number, number];
  readonly numClasses?: number;
  /** false drops the classifier (see `pooling`). */
  readonly includeTop?: boolean;
  /** With includeTop false: 'avg' or 'max' global pooling, or none (feature map). */
  readonly pooling?: 'avg' | 'max' | null;
  /** Default 'linear' (logits, as torchvision); 'softmax' as Keras. */
  readonly classifierActivation?: 'linear' | 'softmax';
  /** Dropout rate before the classifier, where the family has one. */
  readonly dropout?: number;
  /** Returns the feature map of each stage (true) or of the named stages, like timm's features_only. */
  readonly features?: boolean | readonly string[];
  readonly seed?: number;
}

/**
 * A family's own command-line switch, as data on its registry entry (GoogLeNet's `no-aux` sets
 * `auxClassifiers: false`), so a CLI offers it without knowing any family's private options.
 */
export interface ModelFlag<O extends object = Record<string, unknown>> {
  /** The switch without dashes: `'no-aux'` is `--no-aux`. */
  readonly flag: string;
  /** The builder option it sets: one of those `O` adds to ModelOptions. */
  readonly option: Exclude<keyof O, keyof ModelOptions> & string;
  /** The value the switch gives that option. */
  readonly value: boolean | number | string;
  /** One line for help texts. */
  readonly description: string;
}

/**
 * How a family's models meet torchvision's weight files, as data beside the family so a weight
 * loader needs no family of its own (`@convzoo/weights` reads it from the registry).
 */
export interface TorchvisionNames {
  /**
   * convzoo node -> torchvision module path (`layer1_0_conv1` -> `layer1.0.conv1`) for every
   * node with parameters; the loader adds the parameter suffix (`.weight`, `.running_mean`, ...).
   */
  modules(model: Model): ReadonlyMap<string, string>;
  /**
   * The network torchvision builds when its weights are loaded, where that differs from the
   * plain build (GoogLeNet: transform_input=True); the loader applies it unless told not to.
   */
  pretrained?(model: Model): Model;
  /**
   * The model as PyTorch's module for it holds it, where that differs: the layers `pretrained`
   * adds, set so that the function is unchanged (GoogLeNet: transform_input as the identity).
   * A state dict of that module then always carries them, so it loads back through
   * `pretrained` into exactly the function torch computed. Read by `@convzoo/torch` and
   * `@convzoo/weights`' torchStateDict.
   */
  torchModule?(model: Model): Model;
}

/**
 * How a family's models meet Keras Applications' `.h5` weight files, as data beside the family
 * (as `TorchvisionNames`): Keras's layer names, and the variant whose network Keras builds.
 */
export interface KerasNames {
  /** convzoo node -> Keras layer (`fc6` -> `fc1`) for every node with parameters. */
  layers(model: Model): ReadonlyMap<string, string>;
  /** The variant Keras's weights fit, where the family has one for them (ResNet: `keras`). */
  readonly variant?: string;
}

export interface RegistryEntry<O extends ModelOptions = ModelOptions> {
  readonly name: string;
  readonly family: string;
  /** The first is the default. */
  readonly variants: readonly string[];
  /** Switches for the options this family adds to ModelOptions. */
  readonly flags?: readonly ModelFlag[];
  /** torchvision's names for this model's layers, where torchvision has the architecture. */
  readonly torchvision?: TorchvisionNames;
  /** Keras Applications' names for this model's layers, where Keras has the architecture. */
  readonly keras?: KerasNames;
  card(variant?: string): ModelCard;
  create(options?: O): Model;
}

const entries = new Map<string, RegistryEntry>();

/**
 * The same family with the same variants: what a second copy of one arch package registers
 * when a bundler loads it twice, which must stay harmless.
 */
function sameEntry(a: RegistryEntry, b: RegistryEntry): boolean {
  return a === b || (a.family === b.family && a.variants.join() === b.variants.join());
}

/**
 * Adds an architecture, as the `@convzoo/arch-*` packages do on import (through
 * `defineFamily`). The same entry again is ignored (the first stays); a different entry under a
 * taken name is a ConvzooError 'ARGUMENT_INVALID' naming it, rather than silently replacing it.
 */
export function register(entry: RegistryEntry): void {
  const taken = entries.get(entry.name);
  if (taken === undefined) {
    entries.set(entry.name, entry);
  } else if (!sameEntry(taken, entry)) {
    throw new ConvzooError(
      'ARGUMENT_INVALID',
      `architecture "${entry.name}" is already registered by family "${taken.family}" (variants ${taken.variants.join(', ')}); ` +
        `family "${entry.family}" (variants ${entry.variants.join(', ')}) cannot register a different entry under that name`,
    );
  }
}

export function list(): RegistryEntry[] {
  return [...entries.values()];
}

export function get(name: string): RegistryEntry {
  const e = entries.get(name);
  if (e === undefined) {
    const known = [...entries.keys()];
    throw new ConvzooError('UNKNOWN_MODEL', `unknown architecture "${name}"; expected one of: ${known.length > 0 ? known.join(', ') : '(none registered: import an @convzoo/arch-* package)'}`);
  }
  return e;
}

export function create(name: string, options?: ModelOptions): Model {
  return get(name).create(options);
}

/**
 * Resolves a variant name for an entry (the first of `variants` when none is given), typed as
 * the family's variant union, or a clear error listing the valid ones.
 */
export function resolveVariant<V extends string>(name: string, variants: readonly V[], variant: string | undefined): V {
  const v = variant ?? variants[0]!;
  if (!isOneOf(variants, v)) {
    throw new ConvzooError('ARGUMENT_INVALID', `unknown variant "${v}" for ${name}; expected one of: ${variants.join(', ')}`);
  }
  return v;
}

function isOneOf<V extends string>(values: readonly V[], v: string): v is V {
  return values.some((x) => x === v);
}
