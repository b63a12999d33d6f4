import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | undefined>;
}

/** util.parseArgs in strict mode, its errors turned into one-line usage errors. */
export function parse(command: string, argv: readonly string[], options: Options, positionals: number): Parsed {
  let result;
  try {
    result = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see convzoo ${command} --help)`);
  }
  if (!result.values.help && result.positionals.length !== positionals) {
    throw new UsageError(
      positionals === 0
        ? `convzoo ${command} takes no positional arguments, got "${result.positionals.join(' ')}"`
        : `convzoo ${command} expects ${positionals} positional argument(s), got ${result.positionals.length} (see convzoo ${command} --help)`,
    );
  }
  return { positionals: result.positionals, values: result.values as Parsed['values'] };
}

export function int(value: string | boolean | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${String(value)}"`);
  return n;
}

export function shape3(value: string | boolean | undefined, flag: string): [number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map((s) => Number(s.trim()));
  if (parts.length !== 3 || !parts.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new UsageError(`${flag} must be H,W,C (three positive integers), got "${String(value)}"`);
  }
  return parts as [number, number, number];
}

export function choice<T extends string>(value: string | boolean | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${String(value)}"`);
  return value as T;
}

export function required<T>(value: T | undefined, flag: string, command: string): T {
  if (value === undefined || value === '') throw new UsageError(`convzoo ${command} needs ${flag}`);
  return value;
}
