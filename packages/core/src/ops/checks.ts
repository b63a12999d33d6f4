import type { Padding, Pair } from './attrs.js';

/**
 * Attribute checks throw a plain Error with the problem; graph validation wraps it into a
 * GraphError naming the node.
 */
export function positiveInt(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}

export function pair(value: unknown, what: string): void {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new Error(`${what} must be a pair [h, w], got ${JSON.stringify(value)}`);
  }
  positiveInt(value[0], `${what}[0]`);
  positiveInt(value[1], `${what}[1]`);
}

export function pads(value: unknown, what: string): void {
  const ok = Array.isArray(value) && value.length === 2 && value.every(
    (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
  );
  if (!ok) throw new Error(`${what} must be [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(value)}`);
}

export function padding(value: unknown): void {
  if (value === 'valid' || value === 'same') return;
  pads(value, `padding ('valid', 'same' or explicit)`);
}

export function bool(value: unknown, what: string): void {
  if (typeof value !== 'boolean') throw new Error(`${what} must be a boolean, got ${JSON.stringify(value)}`);
}

export function finite(value: unknown, what: string, min = -Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new Error(`${what} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${JSON.stringify(value)}`);
  }
}

export function spatial(shape: readonly number[], op: string): readonly [number, number, number] {
  if (shape.length !== 3) {
    throw new Error(`${op} expects a feature map [H, W, C], got [${shape.join(', ')}]`);
  }
  return shape as unknown as readonly [number, number, number];
}

export type { Padding, Pair };
