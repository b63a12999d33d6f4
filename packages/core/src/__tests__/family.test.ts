import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConvzooError, GraphBuilder, Model, create, defineFamily, list, register, registry, resolveInput, resolveVariant,
  type CardFacts, type ModelCard, type ModelFlag, type ModelOptions,
} from '../index.js';

const VARIANTS = ['narrow', 'wide'] as const;
type Variant = (typeof VARIANTS)[number];

interface ToyOptions extends ModelOptions {
  readonly variant?: Variant;
  readonly bias?: boolean;
}

/** A dense classifier whose width is the table's row and the variant's factor. */
function buildToy(units: number, options: ToyOptions = {}): Model {
  const variant = resolveVariant('toy', VARIANTS, options.variant);
  expectTypeOf(variant).toEqualTypeOf<Variant>();
  const g = new GraphBuilder('toy');
  const x = g.dense(g.flatten(g.input(resolveInput('toy', options, [2, 2, 1]))), { units: units * (variant === 'wide' ? 2 : 1), useBias: options.bias !== false });
  return Model.init(g.build([g.dense(x, { units: options.numClasses ?? 3 })]), options.seed ?? 0);
}

const facts = (units: number, variant: Variant): CardFacts => ({
  description: `toy ${units} ${variant}`, inputShape: [2, 2, 1], minInputSize: 1, numClasses: 3,
  params: { trainable: 0, nonTrainable: 0 }, macs: 0, paper: { title: 't', authors: 'a', year: 2026, url: 'https://example.org' }, notes: [],
});

const NO_BIAS: ModelFlag<ToyOptions> = { flag: 'no-bias', option: 'bias', value: false, description: 'dense layers without bias' };

const spec = {
  family: 'toy',
  variants: VARIANTS,
  entries: [{ name: 'toy4', units: 4 }, { name: 'toy8', units: 8 }],
  build: (e: { readonly units: number }, options?: ToyOptions) => buildToy(e.units, options),
  card: (e: { readonly units: number }, variant: Variant) => facts(e.units, variant),
  flags: [NO_BIAS],
} as const;
const toy = defineFamily(spec);

describe('defineFamily', () => {
  it('returns a typed entry point per row, the same model create() builds', () => {
    const { toy4, toy8 } = toy.builders;
    expectTypeOf(toy8).parameter(0).toEqualTypeOf<ToyOptions | undefined>();
    expect(toy4().outputShapes).toEqual([[3]]);
    expect(toy8({ variant: 'wide', numClasses: 5 }).summary().params).toEqual(create('toy8', { variant: 'wide', numClasses: 5 } as ModelOptions).summary().params);
    expect(toy8({ bias: false }).summary().params.trainable).toBe(4 * 8 + 8 * 3 + 3);
  });

  it('registers every row with its family, variants and flags', () => {
    const entries = list().filter((e) => e.family === 'toy');
    expect(entries.map((e) => e.name)).toEqual(['toy4', 'toy8']);
    expect(entries[0]!.variants).toEqual(['narrow', 'wide']);
    expect(entries[0]!.flags).toEqual([NO_BIAS]);
    // @ts-expect-error a flag's option must be one the family adds
    const misspelt: ModelFlag<ToyOptions> = { flag: 'no-bias', option: 'bais', value: false, description: '' };
    expect(misspelt).toBeDefined();
  });

  it('builds each card once, with name, family and variant filled in', () => {
    expectTypeOf(toy.cards.toy4).toEqualTypeOf<Readonly<Record<Variant, ModelCard>>>();
    expect(toy.cards.toy8.wide).toMatchObject({ name: 'toy8', family: 'toy', variant: 'wide', description: 'toy 8 wide' });
    expect(registry.get('toy8').card('wide')).toBe(toy.cards.toy8.wide);
    expect(registry.get('toy8').card()).toBe(toy.cards.toy8.narrow);
    expect(() => registry.get('toy8').card('huge')).toThrow('unknown variant "huge" for toy8; expected one of: narrow, wide');
  });

  it('the same family loaded twice (a bundler duplicating the package) is harmless', () => {
    const again = defineFamily(spec);
    expect(registry.get('toy4').card()).toBe(toy.cards.toy4.narrow);
    expect(again.builders.toy4().outputShapes).toEqual([[3]]);
    register(registry.get('toy4'));
  });

  it('a different entry under a taken name is an error naming it', () => {
    const other = { ...spec, family: 'other', entries: [{ name: 'toy4', units: 2 }] };
    let error: unknown;
    try {
      defineFamily(other);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConvzooError);
    expect((error as ConvzooError).code).toBe('ARGUMENT_INVALID');
    expect((error as Error).message).toBe(
      'architecture "toy4" is already registered by family "toy" (variants narrow, wide); family "other" (variants narrow, wide) cannot register a different entry under that name',
    );
    expect(() => defineFamily({ ...spec, variants: ['narrow'] as const })).toThrow('architecture "toy4" is already registered by family "toy" (variants narrow, wide); family "toy" (variants narrow)');
    expect(registry.get('toy4').family).toBe('toy');
  });
});

describe('resolveVariant', () => {
  it('returns the family union, the first by default', () => {
    const v = resolveVariant('toy', VARIANTS, undefined);
    expectTypeOf(v).toEqualTypeOf<Variant>();
    expect(v).toBe('narrow');
    expect(resolveVariant('toy', VARIANTS, 'wide')).toBe('wide');
    expect(() => resolveVariant('toy', VARIANTS, 'huge')).toThrow('unknown variant "huge" for toy; expected one of: narrow, wide');
  });
});
