/**
 * Node.js file helpers (the `@convzoo/core/node` entry): atomic writes and model directories.
 * Kept apart from the main entry so that core stays usable in browsers.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConvzooError, FileFormatError } from './errors.js';
import { graphFromJson, graphToJson } from './graph/json.js';
import { Model } from './model.js';
import { decodeSafetensors, encodeSafetensors } from './weights/safetensors.js';

/**
 * Writes via a temp file in the same folder + fsync + rename: readers see the old file or the new one, never half.
 * `data` may be an iterable of chunks, so large files stream without one buffer holding them all.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string | Iterable<Uint8Array>): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const chunks = typeof data === 'string' ? [new TextEncoder().encode(data)] : data instanceof Uint8Array ? [data] : data;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw new FileFormatError(`cannot write: ${describeFsError(e)}`, path);
  }
  try {
    for (const bytes of chunks) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, Math.min(bytes.length - written, 1 << 30));
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    // A producer's own error (an encoder refusing the model, say) passes through unchanged.
    throw e instanceof ConvzooError ? e : new FileFormatError(`cannot write: ${describeFsError(e)}`, path);
  }
  closeSync(fd);
  renameSync(tmp, path);
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory, expected a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on device';
  return (e as Error).message;
}

/** Reads a file or throws a FileFormatError naming it (missing, a folder, unreadable). */
export function readFileChecked(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FileFormatError(describeFsError(e), path);
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
