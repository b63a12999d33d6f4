import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** Flags every command takes. */
const COMMON: Options = { help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } };

/**
 * Checks the flags before util.parseArgs sees them, so that every mistake gets one line in
 * convzoo's words (parseArgs' own say "argument is ambiguous" for `--seed -1`), and joins a
 * negative number to its flag so that the range check below reports it.
 */
function normalize(command: string, argv: readonly string[], options: Options): string[] {
  const see = `(see convzoo ${command} --help)`;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      out.push(token);
      continue;
    }
    const [flag, inline] = token.startsWith('--') ? [token.slice(2).split('=')[0]!, token.includes('=')] : [token.slice(1), false];
    const name = token.startsWith('--') ? flag : Object.keys(options).find((k) => options[k]!.short === flag);
    const option = name === undefined ? undefined : options[name];
    if (option === undefined) {
      const known = Object.keys(options).filter((k) => k !== 'verbose').map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown flag ${token.split('=')[0]}; convzoo ${command} takes ${known} ${see}`);
    }
    if (option.type === 'boolean') {
      if (inline) throw new UsageError(`--${name} takes no value, got "${token}" ${see}`);
      out.push(token);
      continue;
    }
    if (inline) {
      out.push(token);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('-') && !/^-\d/.test(next))) {
      throw new UsageError(`--${name} needs a value ${see}`);
    }
    out.push(`--${name}=${next}`);
    i++;
  }
  return out;
}

/** util.parseArgs in strict mode after {@link normalize}, every error a one-line usage error. */
export function parse(command: string, argv: readonly string[], options: Options, positionals: number): Parsed {
  const all = { ...options, ...COMMON };
  let result;
  try {
    result = parseArgs({ args: normalize(command, argv, all), options: all, strict: true, allowPositionals: true });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see convzoo ${command} --help)`);
  }
  if (!result.values.help && result.positionals.length !== positionals) {
    throw new UsageError(
      positionals === 0
        ? `takes no positional arguments, got "${result.positionals.join(' ')}"`
        : `expects ${positionals} positional argument(s), got ${result.positionals.length} (see convzoo ${command} --help)`,
    );
  }
  return { positionals: result.positionals, values: result.values as Parsed['values'] };
}

/** The largest seed: seeds are 32-bit (the generator's state), so larger ones are refused, not wrapped. */
export const MAX_SEED = 2 ** 32 - 1;
/** --classes: more than any classification data set has; heads past 2^30 weights are refused by core anyway. */
export const MAX_CLASSES = 1_000_000;
/** --batch of predict, bench, train and eval (the activations are checked too, see checkBatch). */
export const MAX_BATCH = 65_536;
export const MAX_EPOCHS = 10_000;

/**
 * A decimal integer flag in [min, max]. Only digits are accepted: "1e9", "0x10", " 5", "" and
 * "4294967296" for a 32-bit seed are errors, never silently read as something else.
 */
export function int(value: string | boolean | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`${flag} must be a decimal integer from ${min} to ${max.toLocaleString('en-US')}, got "${String(value)}"`);
  }
  return n;
}

export function shape3(value: string | boolean | undefined, flag: string): [number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map((s) => (/^\d{1,9}$/.test(s.trim()) ? Number(s.trim()) : NaN));
  if (parts.length !== 3 || !parts.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new UsageError(`${flag} must be H,W,C (three positive decimal integers), got "${String(value)}"`);
  }
  return parts as [number, number, number];
}

export function choice<T extends string>(value: string | boolean | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${String(value)}"`);
  return value as T;
}

/** A flag the command cannot run without; main prefixes "convzoo <command>: ". */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`needs ${flag}${value === '' ? ' (got an empty value)' : ''}`);
  return value;
}

/** Refuses flags that only apply in another mode (`--gpu` without `--format triton`), instead of ignoring them. */
export function onlyWith(values: Parsed['values'], flags: readonly string[], condition: boolean, where: string): void {
  if (condition) return;
  const given = flags.find((f) => values[f] !== undefined);
  if (given !== undefined) throw new UsageError(`--${given} applies only ${where}`);
}
