import { isConvzooError } from '@convzoo/core';
import { parse } from './args.js';
import type { Command } from './command.js';
import { benchCommand } from './commands/bench.js';
import { embedCommand } from './commands/embed.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { listCommand } from './commands/list.js';
import { predictCommand } from './commands/predict.js';
import { summaryCommand } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import { handleInterrupts } from './interrupts.js';
import { processIo, type Io } from './output.js';

export const COMMANDS: readonly Command[] = [listCommand, summaryCommand, exportCommand, importCommand, predictCommand, embedCommand, trainCommand, evalCommand, benchCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'convzoo: the five classic CNN families (LeNet-5, AlexNet, VGG, GoogLeNet, ResNet) for JavaScript',
    '',
    'usage: convzoo <command> [options]      convzoo <command> --help (or convzoo help <command>) for its options',
    '       convzoo --version',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`),
    '',
    'Errors print one line on stderr and exit with code 2 (--verbose adds the stack).',
  ].join('\n');
}

/** The version of this package (what `convzoo --version` prints). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) throw new UsageError(`unknown command "${name}"; expected one of: ${COMMANDS.map((c) => c.name).join(', ')}`);
  return command;
}

/** Runs the CLI and returns the exit code: 0 ok, 2 bad input, 1 internal error, 130/143 after SIGINT/SIGTERM. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const verbose = argv.includes('--verbose');
  const release = handleInterrupts(io);
  try {
    if (name === '--version' || name === '-V') {
      io.out(version());
      return 0;
    }
    if (name === 'help' && rest.length > 0) {
      io.out(findCommand(rest[0]!).usage);
      return 0;
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(help());
      return 0;
    }
    const command = findCommand(name);
    const positionals = typeof command.positionals === 'number' ? command.positionals : command.positionals(rest);
    const args = parse(command.name, rest, command.options, positionals);
    if (args.values.help) {
      io.out(command.usage);
      return 0;
    }
    const code = (await command.run(args, io)) ?? 0;
    // A signal that came during a synchronous write is handled here, before the handler goes:
    // the second turn of the event loop polls for it.
    await new Promise((r) => setImmediate(() => setImmediate(r)));
    return code;
  } catch (e) {
    if (isConvzooError(e)) {
      io.err(`convzoo ${name ?? ''}: ${e.message}`.replace(/\n/g, ' '));
      if (verbose && e.stack) io.err(e.stack);
      return 2;
    }
    io.err(`convzoo ${name ?? ''}: internal error: ${(e as Error)?.message ?? String(e)}${verbose ? '' : ' (run with --verbose for the stack)'}`);
    if (verbose && (e as Error)?.stack) io.err((e as Error).stack!);
    return 1;
  } finally {
    release();
  }
}
