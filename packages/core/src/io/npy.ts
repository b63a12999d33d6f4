import { FileFormatError } from '../errors.js';
import { sizeOf, type TensorData } from '../tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_NPY_HEADER = 65_536;

/** Writes a float32 C-order .npy (format 1.0). */
export function encodeNpy(t: TensorData): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  // As numpy does: room for the first axis to grow to 21 digits, then pad to 64 bytes.
  header += ' '.repeat(t.shape.length > 0 ? 21 - String(t.shape[0]).length : 0);
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + t.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 10 + header.length);
  return out;
}

/** Reads a C-order .npy of little-endian float32 (float64 is converted). */
export function decodeNpy(bytes: Uint8Array, file?: string): TensorData {
  const fail = (msg: string): never => {
    throw new FileFormatError(msg, file);
  };
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) fail('not a .npy file (bad magic bytes)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated .npy header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    return fail(`unsupported .npy version ${major}`);
  }
  if (headerLen > MAX_NPY_HEADER || start + headerLen > bytes.length) fail(`.npy header length ${headerLen} is invalid for a ${bytes.length}-byte file`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail('malformed .npy header');
  if (fortran === 'True') fail('Fortran-order arrays are not supported; save with C order');
  if (descr !== '<f4' && descr !== '<f8') fail(`dtype ${descr} is not supported; expected float32 ('<f4') or float64 ('<f8')`);
  const shape = shapeText!.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`invalid shape (${shapeText})`);
  const itemSize = descr === '<f4' ? 4 : 8;
  const dataStart = start + headerLen;
  const count = sizeOf(shape);
  if (bytes.length - dataStart !== count * itemSize) {
    fail(`shape (${shape.join(', ')}) needs ${count * itemSize} data bytes, the file holds ${bytes.length - dataStart}`);
  }
  const data = new Float32Array(count);
  if (itemSize === 4) {
    // Copy through a fresh Uint8Array: a Node Buffer's slice() is a view into a shared pool.
    data.set(new Float32Array(new Uint8Array(bytes.subarray(dataStart)).buffer));
  } else {
    for (let i = 0; i < count; i++) data[i] = view.getFloat64(dataStart + i * 8, true);
  }
  return { shape, data };
}
