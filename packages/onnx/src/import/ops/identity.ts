import { nodeError } from '../context.js';
import type { Handler } from './types.js';

export const identity: Handler = (node, [x]) => {
  if (x === undefined) throw nodeError(node, 'input 0 is missing');
  return x;
};
