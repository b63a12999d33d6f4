import { ConvzooError } from './errors.js';
import type { Model } from './model.js';

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

export interface RegistryEntry<O extends ModelOptions = ModelOptions> {
  readonly name: string;
  readonly family: string;
  /** The first is the default. */
  readonly variants: readonly string[];
  card(variant?: string): ModelCard;
  create(options?: O): Model;
}

const entries = new Map<string, RegistryEntry>();

/** Called by the architecture packages; re-registering a name replaces it. */
export function register(entry: RegistryEntry): void {
  entries.set(entry.name, entry);
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

/** Resolves a variant name for an entry, or a clear error listing the valid ones. */
export function resolveVariant(name: string, variants: readonly string[], variant: string | undefined): string {
  const v = variant ?? variants[0]!;
  if (!variants.includes(v)) {
    throw new ConvzooError('ARGUMENT_INVALID', `unknown variant "${v}" for ${name}; expected one of: ${variants.join(', ')}`);
  }
  return v;
}
