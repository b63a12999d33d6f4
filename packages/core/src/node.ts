/**
 * Node.js file helpers (the `@convzoo/core/node` entry): atomic writes and model directories.
 * Kept apart from the main entry so that core stays usable in browsers.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, statfsSync, writeSync, existsSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConvzooError, FileFormatError } from './errors.js';
import { graphFromJson, graphToJson } from './graph/json.js';
import { Model } from './model.js';
import { nonFiniteWarnings } from './tensor.js';
import { checkPreprocessing, type Preprocessing } from './preprocessing.js';
import { decodeSafetensors, encodeSafetensors } from './weights/safetensors.js';

/** Temp files and staging folders being written right now: what {@link removePendingWrites} deletes. */
const pending = new Set<string>();

/**
 * Deletes every temp file and staging folder of a write still in progress. For signal handlers:
 * a process stopped by SIGINT or SIGTERM calls it before exiting, so nothing half-written stays.
 */
export function removePendingWrites(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a regular file';
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileFormatError(`cannot write: ${describeFsError(e)}`, path);
  }
}

/**
 * Checks an output path before anything is written: not empty, and if it exists, of the kind
 * expected. Renaming over a device, FIFO or socket would replace it with a regular file (as root,
 * /dev/null), and a symbolic link would be replaced rather than followed, so all are refused.
 * Returns whether the path exists.
 */
export function checkOutputPath(path: string, expected: 'file' | 'directory'): boolean {
  if (path === '') throw new FileFormatError(`the output path is empty; expected a ${expected} path`);
  const st = lstatOrUndefined(path);
  if (st === undefined) return false;
  if (expected === 'file' ? !st.isFile() : !st.isDirectory()) {
    throw new FileFormatError(`is ${kindOf(st)}; expected ${expected === 'file' ? 'a regular file or a new path' : 'a directory or a new path'}`, path);
  }
  return true;
}

/**
 * Writes via a temp file in the same folder + fsync + rename: readers see the old file or the new one, never half.
 * `data` may be an iterable of chunks, so large files stream without one buffer holding them all.
 * The target must be a regular file or not exist yet ({@link checkOutputPath}); on every error the
 * temp file is removed, and while the write runs {@link removePendingWrites} can remove it.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string | Iterable<Uint8Array>): void {
  checkOutputPath(path, 'file');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const chunks = typeof data === 'string' ? [new TextEncoder().encode(data)] : data instanceof Uint8Array ? [data] : data;
  let fd: number | undefined;
  try {
    // 'wx': never open through something already at the temp name (a planted symlink).
    fd = openSync(tmp, 'wx');
    pending.add(tmp);
    for (const bytes of chunks) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, Math.min(bytes.length - written, 1 << 30));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    // A producer's own error (an encoder refusing the model, say) passes through unchanged.
    throw e instanceof ConvzooError ? e : new FileFormatError(`cannot write: ${describeFsError(e)}`, path);
  } finally {
    pending.delete(tmp);
  }
}

/** mkdir -p that reports like the other helpers; returns the first folder it created, if any. */
function makeDirs(path: string): string | undefined {
  try {
    return mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new FileFormatError(`cannot create the folder: ${describeFsError(mkdirCause(path, e))}`, path);
  }
}

/**
 * A recursive mkdir reports ENOENT where the parent is read-only or not writable; a plain mkdir
 * of the first missing folder gives the real cause (EROFS, EACCES).
 */
function mkdirCause(path: string, e: unknown): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return e;
  let first = resolve(path);
  while (dirname(first) !== first && !existsSync(dirname(first))) first = dirname(first);
  try {
    mkdirSync(first);
    rmSync(first, { recursive: true, force: true });
    return e;
  } catch (cause) {
    return cause;
  }
}

/**
 * Builds a folder atomically: `build` fills a staging folder beside `dir`, which is then renamed
 * into place, so `dir` appears complete or not at all (with `replace`, an existing `dir` is swapped
 * out only once the new one is complete). Missing parent folders are created, and removed again on
 * error; the staging folder never outlives the call, nor a signal ({@link removePendingWrites}).
 */
export function writeDirAtomic(dir: string, build: (staging: string) => void, opts: { readonly replace?: boolean } = {}): void {
  if (checkOutputPath(dir, 'directory') && !opts.replace) throw new FileFormatError('already exists; choose a new directory', dir);
  const created = makeDirs(dirname(resolve(dir)));
  const staging = join(dirname(dir), `.${basename(dir)}.${process.pid}.tmp`);
  const old = join(dirname(dir), `.${basename(dir)}.${process.pid}.old`);
  let movedOld = false;
  try {
    rmSync(staging, { recursive: true, force: true });
    pending.add(staging);
    mkdirSync(staging);
    build(staging);
    if (existsSync(dir)) {
      renameSync(dir, old);
      movedOld = true;
    }
    renameSync(staging, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (movedOld && !existsSync(dir)) renameSync(old, dir);
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    throw e instanceof ConvzooError ? e : new FileFormatError(`cannot write: ${describeFsError(e)}`, dir);
  } finally {
    pending.delete(staging);
  }
}

/**
 * Makes sure `dir` can take output before any work starts (`convzoo train` checks this before it
 * loads data): creates it if needed, refuses what is not a directory, probes that a file can be
 * created there and, when `bytesNeeded` is given, that the file system has that much room.
 * Returns the first folder it created (for removal if the work fails), or undefined.
 */
export function prepareOutputDir(dir: string, bytesNeeded = 0): string | undefined {
  checkOutputPath(dir, 'directory');
  const created = makeDirs(dir);
  try {
    const probe = join(dir, `.convzoo-probe.${process.pid}.tmp`);
    try {
      closeSync(openSync(probe, 'wx'));
      rmSync(probe, { force: true });
    } catch (e) {
      throw new FileFormatError(`cannot write: ${describeFsError(e)}`, dir);
    }
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < bytesNeeded) {
      throw new FileFormatError(`cannot write: no space left on device (needs about ${mib(bytesNeeded)}, ${mib(free)} free)`, dir);
    }
    return created;
  } catch (e) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    throw e;
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'a component of the path is not a directory';
  if (code === 'EISDIR') return 'is a directory, expected a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  return (e as Error).message;
}

/**
 * Reads a file or throws a FileFormatError naming it (missing, a folder, unreadable). Only regular
 * files are read: a FIFO or a device would block or never end.
 */
export function readFileChecked(path: string): Uint8Array {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    throw new FileFormatError(describeFsError(e), path);
  }
  if (!st.isFile()) throw new FileFormatError(`is ${kindOf(st)}; expected a regular file`, path);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FileFormatError(describeFsError(e), path);
  }
}

export const GRAPH_FILE = 'graph.json';
export const WEIGHTS_FILE = 'weights.safetensors';
/** The model's {@link Preprocessing} as JSON, beside graph.json (only when the model has one). */
export const PREPROCESSING_FILE = 'preprocessing.json';

/**
 * Saves graph.json + weights.safetensors (+ preprocessing.json when the model has a
 * preprocessing record) into dir (created if needed), each written atomically.
 */
export function saveModelDir(model: Model, dir: string, metadata: Record<string, string> = {}): void {
  checkOutputPath(dir, 'directory');
  makeDirs(dir);
  writeFileAtomic(join(dir, WEIGHTS_FILE), encodeSafetensors(model.weights, { format: 'pt', convzoo_graph: model.name, ...metadata }));
  const prep = join(dir, PREPROCESSING_FILE);
  // A record left from an earlier save would describe another model.
  if (model.preprocessing !== undefined) writeFileAtomic(prep, `${JSON.stringify(model.preprocessing, null, 1)}\n`);
  else rmSync(prep, { force: true });
  writeFileAtomic(join(dir, GRAPH_FILE), graphToJson(model.graph));
}

function readPreprocessing(path: string): Preprocessing | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return checkPreprocessing(JSON.parse(new TextDecoder().decode(readFileChecked(path))));
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    throw new FileFormatError((e as Error).message, path);
  }
}

export function isModelDir(dir: string): boolean {
  return existsSync(join(dir, GRAPH_FILE));
}

export function loadModelDir(dir: string, opts: { readonly onWarning?: (message: string) => void } = {}): Model {
  const graphPath = join(dir, GRAPH_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  if (!existsSync(graphPath)) throw new FileFormatError(`not a model directory (expected ${GRAPH_FILE} and ${WEIGHTS_FILE})`, dir);
  const graph = graphFromJson(new TextDecoder().decode(readFileChecked(graphPath)), graphPath);
  const { tensors } = decodeSafetensors(readFileChecked(weightsPath), weightsPath);
  if (opts.onWarning) for (const m of nonFiniteWarnings(tensors)) opts.onWarning(`${weightsPath}: ${m}`);
  const preprocessing = readPreprocessing(join(dir, PREPROCESSING_FILE));
  try {
    return new Model(graph, tensors, { preprocessing });
  } catch (e) {
    if (e instanceof Error) e.message = `${weightsPath}: ${e.message}`;
    throw e;
  }
}
