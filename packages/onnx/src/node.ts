/**
 * ONNX files: import (with external data read beside the model) and streaming export (weights
 * converted and written chunk by chunk; external data past protobuf's 2 GiB limit). Writes are
 * atomic, so a failed export leaves nothing behind.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { ConvzooError, FileFormatError, MAX_TENSOR_ELEMENTS, type Model } from '@convzoo/core';
import { readFileChecked, writeFileAtomic } from '@convzoo/core/node';
import { encodeOnnx, type ExportOptions } from './export/export.js';
import { importOnnx, type ImportOptions } from './import/import.js';
import { checkProtobufLimit, PROTOBUF_LIMIT } from './proto/encode.js';
import type { ExternalDataReader } from './proto/decode.js';

export interface OnnxFileOptions extends ExportOptions {
  /**
   * Put the weights in `<file>.data` beside the model (ONNX external data): true, false, or
   * 'auto' (default): only when the model would pass protobuf's 2 GiB limit.
   */
  readonly externalData?: boolean | 'auto';
}

export interface OnnxFiles {
  readonly model: string;
  /** The external data file, when one was written. */
  readonly data?: string;
}

/**
 * The most bytes one external read may ask for: MAX_TENSOR_ELEMENTS float32 values (the largest
 * tensor a model may hold, and the largest typed array Node allocates).
 */
const MAX_EXTERNAL_READ_BYTES = MAX_TENSOR_ELEMENTS * 4;

/**
 * Reads external tensor data next to `modelPath`. The location must stay inside the model's
 * folder once symlinks are resolved (a link to /etc/passwd is refused), and must be a regular
 * file: it is opened non-blocking, so a FIFO cannot hang the import, and checked with fstat
 * before anything is read.
 */
export function externalReader(modelPath: string): ExternalDataReader {
  const dir = dirname(modelPath);
  const fail = (message: string): never => {
    throw new FileFormatError(message, modelPath);
  };
  return (location, offset, length) => {
    const rel = normalize(location);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.includes('\0')) {
      fail(`external data location "${location}" must be a path inside the model's folder`);
    }
    let realDir: string;
    let target: string;
    try {
      realDir = realpathSync(dir);
      target = realpathSync(join(dir, rel));
    } catch {
      return fail(`external data file "${location}" cannot be opened (it must sit beside the model)`);
    }
    const inside = relative(realDir, target);
    if (isAbsolute(inside) || inside === '..' || inside.startsWith(`..${sep}`)) {
      fail(`external data location "${location}" leads to ${target}, outside the model's folder ${realDir}`);
    }
    let fd: number;
    try {
      // O_NOFOLLOW: the resolved path must not have become a link since realpath.
      fd = openSync(target, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
    } catch {
      return fail(`external data file "${location}" cannot be opened (it must sit beside the model)`);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) fail(`external data location "${location}" is not a regular file; external data must be a regular file beside the model`);
      const size = st.size;
      const n = length ?? Math.max(0, size - offset);
      if (n > MAX_EXTERNAL_READ_BYTES) fail(`external data [${offset}, ${offset + n}) of "${location}" is ${n} bytes, over the limit of ${MAX_EXTERNAL_READ_BYTES} for one tensor`);
      if (offset + n > size) fail(`external data [${offset}, ${offset + n}) runs past the end of "${location}" (${size} bytes)`);
      const out = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const r = readSync(fd, out, done, Math.min(n - done, 1 << 30), offset + done); // readSync takes int32 lengths
        if (r === 0) fail(`external data file "${location}" ended early`);
        done += r;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  };
}

/** Imports an ONNX file (external data is read from beside it). Errors and warnings name the file. */
export function importOnnxFile(path: string, opts: Pick<ImportOptions, 'onWarning'> = {}): Model {
  const bytes = readFileChecked(path);
  try {
    return importOnnx(bytes, { file: path, external: externalReader(path), onWarning: opts.onWarning });
  } catch (e) {
    if (e instanceof ConvzooError && !e.message.startsWith(path)) e.message = `${path}: ${e.message}`;
    throw e;
  }
}

/**
 * Exports to `path`, streaming: peak memory stays near the model's own weights. Past protobuf's
 * 2 GiB limit (or with externalData: true) the weights go to `<path>.data`.
 */
export function exportOnnxFile(model: Model, path: string, opts: OnnxFileOptions = {}): OnnxFiles {
  const mode = opts.externalData ?? 'auto';
  const location = `${basename(path)}.data`;
  let encoded = encodeOnnx(model, opts, mode === true ? location : undefined);
  if (mode === 'auto' && encoded.size > PROTOBUF_LIMIT) encoded = encodeOnnx(model, opts, location);
  checkProtobufLimit(encoded);
  if (encoded.data === undefined) {
    writeFileAtomic(path, encoded.chunks());
    return { model: path };
  }
  const dataPath = join(dirname(path), location);
  writeFileAtomic(dataPath, encoded.data.chunks());
  try {
    writeFileAtomic(path, encoded.chunks());
  } catch (e) {
    rmSync(dataPath, { force: true });
    throw e;
  }
  return { model: path, data: dataPath };
}
