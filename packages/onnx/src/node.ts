/**
 * ONNX files: import (with external data read beside the model) and streaming export (weights
 * converted and written chunk by chunk; external data past protobuf's 2 GiB limit). Writes are
 * atomic, so a failed export leaves nothing behind.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { ConvzooError, FileFormatError, type Model } from '@convzoo/core';
import { readFileChecked, writeFileAtomic } from '@convzoo/core/node';
import { encodeOnnx, type ExportOptions } from './export/export.js';
import { importOnnx } from './import/import.js';
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

/** Reads external tensor data next to `modelPath`, refusing paths that leave its folder. */
function externalReader(modelPath: string): ExternalDataReader {
  const dir = dirname(modelPath);
  return (location, offset, length) => {
    const rel = normalize(location);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.includes('\0')) {
      throw new FileFormatError(`external data location "${location}" must be a path inside the model's folder`, modelPath);
    }
    const path = join(dir, rel);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      throw new FileFormatError(`external data file "${location}" cannot be opened (it must sit beside the model)`, modelPath);
    }
    try {
      const size = fstatSync(fd).size;
      const n = length ?? size - offset;
      if (offset + n > size) throw new FileFormatError(`external data [${offset}, ${offset + n}) runs past the end of "${location}" (${size} bytes)`, modelPath);
      const out = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const r = readSync(fd, out, done, Math.min(n - done, 1 << 30), offset + done); // readSync takes int32 lengths
        if (r === 0) throw new FileFormatError(`external data file "${location}" ended early`, modelPath);
        done += r;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  };
}

/** Imports an ONNX file (external data is read from beside it). Errors name the file. */
export function importOnnxFile(path: string): Model {
  const bytes = readFileChecked(path);
  try {
    return importOnnx(bytes, { file: path, external: externalReader(path) });
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
