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
  /** Returns an exit code other than 0 when the command ends early on purpose (130 after Ctrl-C). */
  run(args: Parsed, io: Io): Promise<void | number> | void | number;
}
