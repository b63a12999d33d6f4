/**
 * SIGINT and SIGTERM for every command, one handler: whatever is half-written (temp files,
 * staging folders: core's removePendingWrites) is removed and the process exits 128 + signal.
 * A command that can stop at a clean point (train, after its batch) registers `stop` with
 * {@link stopOnInterrupt}; the first signal then calls it and a second one exits at once.
 *
 * Writes are synchronous, so a signal that arrives during one is handled when it returns: the
 * file is then complete or absent, never a temp file left beside it (without a handler, Node
 * would die on the spot and leave the temp file).
 */
import { removePendingWrites } from '@convzoo/core/node';
import type { Io } from './output.js';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
let stop: (() => void) | undefined;

/** Installs the handler for the duration of one command; returns its removal. */
export function handleInterrupts(io: Io): () => void {
  let stopping = false;
  const handler = (signal: keyof typeof EXIT_CODES) => {
    if (stop !== undefined && !stopping) {
      stopping = true;
      io.err('\ninterrupt: stopping after this batch (Ctrl-C again to quit at once)');
      stop();
      return;
    }
    removePendingWrites();
    io.err(`\ninterrupted by ${signal}: stopped, nothing half-written left behind`);
    process.exit(EXIT_CODES[signal]);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** Makes the next signal call `fn` instead of exiting (until the returned function is called). */
export function stopOnInterrupt(fn: () => void): () => void {
  stop = fn;
  return () => {
    stop = undefined;
  };
}
