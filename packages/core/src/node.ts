/**
 * Node.js file helpers (the `@convzoo/core/node` entry): atomic writes and model directories.
 * Kept apart from the main entry so that core stays usable in browsers.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileFormatError } from './errors.js';
import { graphFromJson, graphToJson } from './graph/json.js';
import { Model } from './model.js';
import { decodeSafetensors, encodeSafetensors } from './weights/safetensors.js';

/** Writes via a temp file in the same folder + fsync + rename: readers see the old file or the new one, never half. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const fd = openSync(tmp, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, Math.min(bytes.length - written, 1 << 30));
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** Reads a file or throws a FileFormatError naming it (missing, a folder, unreadable). */
export function readFileChecked(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new FileFormatError(why, path);
  }
}

export const GRAPH_FILE = 'graph.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** Saves graph.json + weights.safetensors into dir (created if needed), each written atomically. */
export function saveModelDir(model: Model, dir: string, metadata: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, WEIGHTS_FILE), encodeSafetensors(model.weights, { format: 'pt', convzoo_graph: model.name, ...metadata }));
  writeFileAtomic(join(dir, GRAPH_FILE), graphToJson(model.graph));
}

export function isModelDir(dir: string): boolean {
  return existsSync(join(dir, GRAPH_FILE));
}

export function loadModelDir(dir: string): Model {
  const graphPath = join(dir, GRAPH_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  if (!existsSync(graphPath)) throw new FileFormatError(`not a model directory (expected ${GRAPH_FILE} and ${WEIGHTS_FILE})`, dir);
  const graph = graphFromJson(new TextDecoder().decode(readFileChecked(graphPath)), graphPath);
  const { tensors } = decodeSafetensors(readFileChecked(weightsPath), weightsPath);
  try {
    return new Model(graph, tensors);
  } catch (e) {
    if (e instanceof Error) e.message = `${weightsPath}: ${e.message}`;
    throw e;
  }
}
