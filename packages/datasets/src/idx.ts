import { FileFormatError } from '@convzoo/core';

/** An IDX array of unsigned bytes (the MNIST file format). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an IDX file of unsigned bytes: magic 0x0000 08 <ndims>, big-endian u32 dims, then
 * exactly prod(dims) bytes. Anything else is a FileFormatError naming the file.
 */
export function parseIdx(bytes: Uint8Array, file?: string, expectedDims?: number): IdxArray {
  const fail = (msg: string): never => {
    throw new FileFormatError(msg, file);
  };
  if (bytes.length < 4) fail(`file is ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(`bad IDX magic number 0x${view.getUint32(0).toString(16).padStart(8, '0')} (expected 0x000008xx)`);
  if (bytes[2] !== 0x08) fail(`IDX data type 0x${bytes[2]!.toString(16)} is not unsigned bytes (0x08)`);
  const ndims = bytes[3]!;
  if (ndims === 0 || ndims > 4) fail(`IDX claims ${ndims} dimensions (expected 1 to 4)`);
  if (expectedDims !== undefined && ndims !== expectedDims) fail(`IDX has ${ndims} dimensions, expected ${expectedDims}`);
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) fail(`truncated IDX header (${bytes.length} bytes, expected ${headerLen})`);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLen !== count) {
    fail(`IDX dims [${dims.join(', ')}] need ${count} data bytes, the file holds ${bytes.length - headerLen}`);
  }
  return { dims, data: bytes.subarray(headerLen) };
}
