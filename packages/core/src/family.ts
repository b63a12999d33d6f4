/**
 * `defineFamily`: what every architecture package used to write by hand (one entry point per
 * table row, a registry entry per row, the cards table and the variant lookup), written once.
 */
import { ConvzooError } from './errors.js';
import type { Model } from './model.js';
import { fitPreprocessing, type Preprocessing } from './preprocessing.js';
import { register, resolveVariant, type ModelCard, type ModelFlag, type ModelOptions, type KerasNames, type TorchvisionNames } from './registry.js';

/** A model card less what `defineFamily` fills in from the entry: its name, family and variant. */
export type CardFacts = Omit<ModelCard, 'name' | 'family' | 'variant'>;

/** One row of a family's table: the registry name, plus whatever the builder needs for it. */
export interface FamilyEntry {
  readonly name: string;
}

/** A family as data: its table (`entries`), its builder and its cards. */
export interface FamilySpec<E extends FamilyEntry, V extends string, O extends ModelOptions> {
  /** The registry's family name (`'resnet'`). */
  readonly family: string;
  /** The variants every entry accepts; the first is the default. */
  readonly variants: readonly V[];
  /** One row per registered architecture (`resnet18`, `resnet34`, ...). */
  readonly entries: readonly E[];
  /** Builds one row's model; it checks the options (variant included) itself. */
  build(entry: NoInfer<E>, options?: O): Model;
  /** The card of one row and variant, without name, family and variant. */
  card(entry: NoInfer<E>, variant: NoInfer<V>): CardFacts;
  /**
   * Switches for the options the family adds to ModelOptions (GoogLeNet's `no-aux`); type them
   * `ModelFlag<YourOptions>` to have the option name checked.
   */
  readonly flags?: readonly ModelFlag[];
  /** torchvision's module names for the family's layers (the same for every row). */
  readonly torchvision?: TorchvisionNames;
  /** Keras Applications' layer names for the family's layers. */
  readonly keras?: KerasNames;
}

/** What `defineFamily` returns: an entry point and the cards for every row, by name. */
export interface Family<N extends string, V extends string, O extends ModelOptions> {
  /** `builders.resnet18(options)`: the row's model, as `create('resnet18', options)` builds it. */
  readonly builders: { readonly [K in N]: (options?: O) => Model };
  /** `cards.resnet50.torchvision`: every card, built once. */
  readonly cards: { readonly [K in N]: Readonly<Record<V, ModelCard>> };
}

/** The card's preprocessing at the model's input size; none where it cannot give that input (other channels, no room for its border). */
function fitted(preset: Preprocessing, inputShape: readonly number[]): Preprocessing | undefined {
  try {
    return fitPreprocessing(preset, inputShape);
  } catch (e) {
    if (e instanceof ConvzooError) return undefined;
    throw e;
  }
}

/**
 * Registers every row of a family in the core registry and returns its typed entry points and
 * cards. An arch package's index is this one call plus its exports:
 *
 * ```ts
 * const resnet = defineFamily({
 *   family: 'resnet', variants: RESNET_VARIANTS,
 *   entries: RESNET_DEPTH_LIST.map((depth) => ({ name: `resnet${depth}` as const, depth })),
 *   build: (e, options?: ResNetOptions) => buildResNet(e.depth, options),
 *   card: (e, variant) => resnetCard(e.depth, variant),
 * });
 * export const { resnet18, resnet50 } = resnet.builders;
 * ```
 *
 * A row whose name another family has taken is a ConvzooError (see `register`).
 */
export function defineFamily<const E extends FamilyEntry, V extends string, O extends ModelOptions>(
  spec: FamilySpec<E, V, O>,
): Family<E['name'], V, O> {
  const builders: Record<string, (options?: O) => Model> = {};
  const cards: Record<string, Readonly<Record<V, ModelCard>>> = {};
  for (const entry of spec.entries) {
    const { name } = entry;
    // Every key is set by the loop below.
    const byVariant = {} as Record<V, ModelCard>;
    for (const variant of spec.variants) byVariant[variant] = { name, family: spec.family, variant, ...spec.card(entry, variant) };
    const create = (options?: O): Model => {
      const model = spec.build(entry, options);
      const preset = byVariant[resolveVariant(name, spec.variants, options?.variant)].preprocessing;
      return preset === undefined ? model : model.withPreprocessing(fitted(preset, model.inputShape));
    };
    builders[name] = create;
    cards[name] = byVariant;
    register({
      name,
      family: spec.family,
      variants: spec.variants,
      ...(spec.flags ? { flags: spec.flags } : {}),
      ...(spec.torchvision ? { torchvision: spec.torchvision } : {}),
      ...(spec.keras ? { keras: spec.keras } : {}),
      card: (variant) => byVariant[resolveVariant(name, spec.variants, variant)],
      create,
    });
  }
  return { builders, cards } as Family<E['name'], V, O>;
}
