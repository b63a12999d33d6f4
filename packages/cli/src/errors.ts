import { ConvzooError } from '@convzoo/core';

/** A bad command line: exit code 2 like every other user error. */
export class UsageError extends ConvzooError {
  constructor(message: string) {
    super('ARGUMENT_INVALID', message);
    this.name = 'UsageError';
  }
}
