/**
 * Keras's HDF5 weight layout (`model.save_weights('w.h5')`, the Keras Applications files, and
 * the `model_weights` group of a full `model.save('m.h5')`), read through jsfive: the root's
 * `layer_names` attribute lists the layers; each layer group's `weight_names` attribute lists its
 * datasets by path inside the group (`block1_conv1/kernel:0`, or `.../kernel` without the `:0`).
 */
import { FileFormatError, formatShape, type TensorData } from '@convzoo/core';
import { Dataset, File, Group } from 'jsfive';

/** HDF5's superblock signature, at offset 0 in the files Keras writes. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The most elements a file is read for, in all: VGG-19 has 143,667,240. A dataset may also hold
 * at most 1,100 elements per byte of the file (deflate's ceiling is 1,032x): a bigger shape is
 * a hostile one, refused before anything is allocated for it.
 */
export const MAX_H5_ELEMENTS = 2 ** 28;
const MAX_ELEMENTS_PER_BYTE = 1100;

export const isHdf5 = (bytes: Uint8Array): boolean => bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);

/** One weight of one Keras layer. */
export interface KerasTensor {
  /** The dataset's path in the file (`block1_conv1/block1_conv1/kernel:0`). */
  readonly dataset: string;
  readonly tensor: TensorData;
}

export interface KerasFile {
  /** `layer_names`, in the file's order. */
  readonly layers: readonly string[];
  /** By `<layer>/<weight>`, the weight being the dataset name's last part without `:0` (`fc1/kernel`). */
  readonly weights: ReadonlyMap<string, KerasTensor>;
  /** Whether the file's weight names end in `:0` (older Keras), for naming datasets it lacks. */
  readonly indexed: boolean;
}

/** Float types Keras saves weights as: little or big endian, half, single or double. */
const FLOAT = /^[<>=|]?f[248]$/;

/**
 * Reads the Keras weights of an HDF5 file. Anything the file gets wrong, as jsfive or this
 * reader finds it (jsfive throws strings and TypeErrors on corrupt structures), is a
 * FileFormatError naming the file.
 */
export function readKerasH5(bytes: Uint8Array, file?: string): KerasFile {
  const fail = (msg: string): never => {
    throw new FileFormatError(msg, file);
  };
  try {
    // jsfive reads an ArrayBuffer (and does not write it): the caller's, where the bytes are all
    // of it, else a copy (not `bytes.slice()`: on a Node Buffer, such as a small file's from
    // Node's shared pool, that is a view of the whole pool).
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const budget = { left: Math.min(MAX_H5_ELEMENTS, bytes.length * MAX_ELEMENTS_PER_BYTE) };
    const h5 = new File(whole ? bytes.buffer : new Uint8Array(bytes).buffer, file ?? 'weights.h5');
    guardAttributes((h5 as unknown as { _dataobjects: object })._dataobjects);
    return readLayers(h5, budget, fail);
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    // jsfive's own errors on a corrupt file: strings, TypeError, RangeError (reads past the end).
    return fail(`corrupt or unsupported HDF5 file: ${e instanceof Error ? e.message : String(e)}`);
  }
}

type AttrValue = (dtype: unknown, buf: ArrayBuffer, count: number, offset: number) => unknown;
const GUARDED = Symbol('convzoo: attribute counts checked');

/**
 * jsfive 0.4.2 (pinned) reads an attribute's items in a loop as long as its dataspace says,
 * past the end of the data (a corrupt count of 2^40 is a hang): every item takes at least a
 * byte, so a count beyond the bytes left is refused first. Patched once on jsfive's DataObjects.
 */
function guardAttributes(objects: object): void {
  const proto = Object.getPrototypeOf(objects) as { _attr_value: AttrValue; [GUARDED]?: true };
  if (proto[GUARDED]) return;
  const read = proto._attr_value;
  proto._attr_value = function (this: unknown, dtype, buf, count, offset) {
    if (!(Number(count) <= buf.byteLength - offset)) throw new RangeError(`an attribute of ${count} items at byte ${offset} of ${buf.byteLength}`);
    return read.call(this, dtype, buf, count, offset);
  };
  proto[GUARDED] = true;
}

function readLayers(h5: File, budget: { left: number }, fail: (msg: string) => never): KerasFile {
  let root: Group = h5;
  if (h5.attrs.layer_names === undefined && h5.keys.includes('model_weights')) root = group(h5, 'model_weights', fail);
  if (root.attrs.layer_names === undefined) {
    fail("is HDF5 but not a Keras weights file: no 'layer_names' attribute at its root or in a 'model_weights' group");
  }
  const layers = strings(root.attrs.layer_names, 'layer_names', fail);
  const weights = new Map<string, KerasTensor>();
  let indexed = false;
  for (const layer of layers) {
    const g = group(root, layer, fail);
    for (const name of strings(g.attrs.weight_names ?? [], `weight_names of layer "${layer}"`, fail)) {
      const dataset = `${layer}/${name}`;
      const weight = name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, '');
      indexed ||= /:\d+$/.test(name);
      const key = `${layer}/${weight}`;
      if (weights.has(key)) fail(`layer "${layer}" has two weights named "${weight}" (${weights.get(key)!.dataset}, ${dataset})`);
      weights.set(key, { dataset, tensor: floats(g, name, dataset, budget, fail) });
    }
  }
  return { layers, weights, indexed };
}

function group(parent: Group, name: string, fail: (msg: string) => never): Group {
  if (!parent.keys.includes(name)) fail(`no group "${name}" (listed in layer_names)`);
  const g = parent.get(name);
  return g instanceof Group ? g : fail(`"${name}" is a dataset, expected a layer group`);
}

/** A string-array attribute (h5py writes fixed-length byte strings, NUL-padded). */
function strings(value: unknown, what: string, fail: (msg: string) => never): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((s): s is string => typeof s === 'string')) return fail(`attribute ${what} is not a list of strings`);
  return list.map((s) => s.replace(/\0+$/, ''));
}

function floats(g: Group, name: string, dataset: string, budget: { left: number }, fail: (msg: string) => never): TensorData {
  const d = g.get(name);
  if (!(d instanceof Dataset)) return fail(`"${dataset}" (a weight_names entry) is not a dataset`);
  const shape = d.shape;
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) return fail(`dataset "${dataset}" has no valid shape`);
  if (typeof d.dtype !== 'string' || !FLOAT.test(d.dtype)) return fail(`dataset "${dataset}" has type ${JSON.stringify(d.dtype)}, expected floats (f2, f4 or f8)`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > budget.left) fail(`dataset "${dataset}" ${formatShape(shape)}: more elements than the file can hold (at most ${MAX_H5_ELEMENTS} in all, ${MAX_ELEMENTS_PER_BYTE} per byte)`);
  budget.left -= size;
  const contiguous = storage(d, shape, size, dataset, fail);
  if (contiguous !== undefined) return { shape: [...shape], data: contiguous };
  const value = d.value;
  if (value?.length !== size) return fail(`dataset "${dataset}" ${formatShape(shape)} holds ${value?.length ?? 0} values, expected ${size}`);
  // Storage never written (unallocated chunks) reads as the dataset's fill value, as in HDF5.
  const fill = typeof d.fillvalue === 'number' ? d.fillvalue : 0;
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = value[i] ?? fill;
  return { shape: [...shape], data };
}

/** The parts of jsfive 0.4.2's DataObjects (pinned) that locate a dataset's storage. */
interface DataObjects {
  readonly fh: ArrayBuffer;
  readonly _chunks?: readonly number[];
  _get_chunk_params(): void;
  find_msg_type(type: number): ReadonlyArray<ReadonlyMap<string, number>>;
  _get_data_message_properties(offset: number): [version: number, dims: number, layout: number, propertyOffset: number];
}
const DATA_STORAGE_MSG = 8;
const CONTIGUOUS = 1;
const CHUNKED = 2;

/**
 * Checks a dataset's storage before jsfive reads it, and reads the float32 little-endian data
 * of a contiguous one (what Keras writes) in one slice: jsfive's `value` reads element by
 * element into a JS array, about 100x slower. Undefined for other storage (chunked, filtered,
 * never written), which `value` reads once its chunk shape is checked: jsfive loops over every
 * element of a chunk's shape, so a corrupt one of 2^40 elements would be a hang.
 */
function storage(d: Dataset, shape: readonly number[], size: number, dataset: string, fail: (msg: string) => never): Float32Array | undefined {
  const o = (d as unknown as { _dataobjects: DataObjects })._dataobjects;
  const msg = o.find_msg_type(DATA_STORAGE_MSG)[0];
  if (msg === undefined) return fail(`dataset "${dataset}" has no data layout message`);
  const [, , layout, at] = o._get_data_message_properties(msg.get('offset_to_message')!);
  if (layout === CHUNKED) {
    o._get_chunk_params();
    const chunks = o._chunks ?? [];
    if (chunks.length !== shape.length || chunks.some((c, i) => !(c >= 1 && c <= Math.max(shape[i]!, 1)))) {
      fail(`dataset "${dataset}" ${formatShape(shape)} has chunks ${formatShape(chunks)}, expected each at most the dataset's size`);
    }
  }
  if (layout !== CONTIGUOUS || d.dtype !== '<f4') return undefined;
  const address = new DataView(o.fh).getBigUint64(at, true);
  if (address === 0xffff_ffff_ffff_ffffn) return undefined;
  const start = Number(address);
  if (start + size * 4 > o.fh.byteLength) fail(`dataset "${dataset}": its ${size * 4} bytes at offset ${start} run past the end of the file (${o.fh.byteLength} bytes)`);
  return new Float32Array(o.fh.slice(start, start + size * 4));
}
