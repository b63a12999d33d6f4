import type { Options, Parsed } from './args.js';
import type { Io } from './output.js';

export interface Command {
  readonly name: string;
  /** One line for `convzoo --help`. */
  readonly description: string;
  /** Full `convzoo <name> --help` text. */
  readonly usage: string;
  readonly options: Options;
  /** How many positional arguments; a function when a flag changes it (summary --all). */
  readonly positionals: number | ((argv: readonly string[]) => number);
  run(args: Parsed, io: Io): Promise<void> | void;
}
