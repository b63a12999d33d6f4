/**
 * The PyTorch module path of every node with parameters, shared by the generated PyTorch
 * module (`@convzoo/torch`) and the weight loader (`@convzoo/weights`) so that a state dict
 * saved by one always loads into the other.
 */
import type { Model } from './model.js';
import { list, type TorchvisionNames } from './registry.js';

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/**
 * A Python identifier for a convzoo name: other characters become `_`, a leading digit gets a leading
 * `_` and a keyword a trailing one (`conv1/bn` -> `conv1_bn`, `3a` -> `_3a`, `class` -> `class_`).
 */
export function pythonIdentifier(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  return PYTHON_KEYWORDS.has(id) ? `${id}_` : id;
}

export interface TorchModule {
  /** Dotted module path (`layer1.0.conv1`), the state-dict prefix of the node's parameters. */
  readonly path: string;
  /** True where the family's torchvision table has no name for the node (LeNet-5, GoogLeNet's transform_input). */
  readonly generated: boolean;
}

/**
 * convzoo node -> PyTorch module for every node with parameters: torchvision's name where the
 * family's table (`torchvision`, by default the registry entry of `model.name`) has one, else
 * the node name as a Python identifier, made unique against every other path and its prefixes.
 */
export function torchModules(model: Model, torchvision?: TorchvisionNames): Map<string, TorchModule> {
  const names = torchvision ?? list().find((e) => e.name === model.name)?.torchvision;
  const table = names?.modules(model) ?? new Map<string, string>();
  const nodes = [...new Set(model.paramEntries().map((p) => p.node))];
  const taken = new Set<string>();
  for (const node of nodes) {
    const path = table.get(node);
    if (path === undefined) continue;
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) taken.add(parts.slice(0, i).join('.'));
  }
  const out = new Map<string, TorchModule>();
  for (const node of nodes) {
    const path = table.get(node);
    if (path !== undefined) {
      out.set(node, { path, generated: false });
      continue;
    }
    let id = pythonIdentifier(node);
    while (taken.has(id)) id = `${id}_`;
    taken.add(id);
    out.set(node, { path: id, generated: true });
  }
  return out;
}
