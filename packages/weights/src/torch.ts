/**
 * PyTorch state dicts as torch.save writes them: the zip format (torch >= 1.6: `<name>/data.pkl`
 * plus one `<name>/data/<key>` entry per storage) and the legacy format (pre-1.6, still what
 * torchvision's oldest files use: five pickles in a row — magic number, protocol version, system
 * info, the state dict with persistent ids, the storage keys — then each storage as an int64
 * element count and its raw bytes).
 */
import { FileFormatError, MAX_TENSOR_ELEMENTS, bfloat16ToFloat, halfToFloat, sizeOf, type TensorMap } from '@convzoo/core';
import { unzipSync } from 'fflate';
import { PyGlobal, PyTuple, unpickle, type PickleHooks } from './pickle.js';

/** torch's storage classes: element size and how to read one little-endian element. */
const STORAGES: Readonly<Record<string, { size: number; read: (v: DataView, at: number) => number }>> = {
  FloatStorage: { size: 4, read: (v, at) => v.getFloat32(at, true) },
  DoubleStorage: { size: 8, read: (v, at) => v.getFloat64(at, true) },
  HalfStorage: { size: 2, read: (v, at) => halfToFloat(v.getUint16(at, true)) },
  BFloat16Storage: { size: 2, read: (v, at) => bfloat16ToFloat(v.getUint16(at, true)) },
  LongStorage: { size: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  IntStorage: { size: 4, read: (v, at) => v.getInt32(at, true) },
  ShortStorage: { size: 2, read: (v, at) => v.getInt16(at, true) },
  CharStorage: { size: 1, read: (v, at) => v.getInt8(at) },
  ByteStorage: { size: 1, read: (v, at) => v.getUint8(at) },
  BoolStorage: { size: 1, read: (v, at) => v.getUint8(at) },
};

/** The callables a state dict's pickle reduces: nothing else may even be named. */
const CALLABLES = new Set(['collections.OrderedDict', 'torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_parameter']);

class Storage {
  /** Filled in once the bytes are found (after the pickle, in the legacy format). */
  bytes: Uint8Array | undefined;
  constructor(readonly type: string, readonly key: string, readonly numel: number, readonly offset: number) {}
}

class TensorRef {
  constructor(readonly storage: Storage, readonly offset: number, readonly shape: readonly number[], readonly stride: readonly number[]) {}
}

/** Whether the bytes are a zip archive (torch.save's default format since 1.6). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Whether the bytes start like a pickle (PROTO 2+): torch.save's legacy format. */
export function isPickle(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5;
}

/**
 * Reads a torch.save'd state dict (zip or legacy) into float32 tensors by their torch names,
 * with strides and storage offsets applied; every dtype is converted to float32
 * (`num_batches_tracked` is int64). A checkpoint dict holding the state dict under
 * `state_dict` or `model` is unwrapped.
 */
export function readTorch(bytes: Uint8Array, file?: string): TensorMap {
  const fail = (msg: string): never => {
    throw new FileFormatError(msg, file);
  };
  if (isZip(bytes)) return readZip(bytes, file, fail);
  if (isPickle(bytes)) return readLegacy(bytes, file, fail);
  return fail('not a PyTorch file: neither a zip archive (torch.save) nor a pickle (legacy torch.save)');
}

function hooks(persistentLoad: (pid: readonly unknown[]) => Storage, fail: (msg: string) => never): PickleHooks {
  return {
    allowGlobal: (module, name) => CALLABLES.has(`${module}.${name}`) || (module === 'torch' && name in STORAGES),
    persistentLoad: (pid) => {
      if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage') return fail('persistent id is not a storage');
      return persistentLoad(pid.items);
    },
    call: (fn, args) => {
      switch (fn.qualified) {
        case 'collections.OrderedDict':
          if (args.length !== 0) fail('OrderedDict() with arguments');
          return new Map();
        case 'torch._utils._rebuild_parameter':
          if (!(args[0] instanceof TensorRef)) fail('_rebuild_parameter of something that is not a tensor');
          return args[0];
        case 'torch._utils._rebuild_tensor':
        case 'torch._utils._rebuild_tensor_v2': {
          // (storage, storage_offset, size, stride), and for _v2 requires_grad, hooks, ... after them.
          const [storage, offset, shape, stride] = args;
          const ints = (t: unknown) => t instanceof PyTuple && t.items.every((d) => Number.isSafeInteger(d) && (d as number) >= 0);
          if (!(storage instanceof Storage) || !Number.isSafeInteger(offset) || (offset as number) < 0 || !ints(shape) || !ints(stride)) {
            return fail(`${fn.qualified} arguments are not (storage, offset, size, stride)`);
          }
          const dims = (shape as PyTuple).items as number[];
          const strides = (stride as PyTuple).items as number[];
          if (dims.length !== strides.length) fail(`${fn.qualified}: size and stride differ in rank`);
          if (sizeOf(dims) > MAX_TENSOR_ELEMENTS) fail(`tensor of ${sizeOf(dims)} elements exceeds the limit of ${MAX_TENSOR_ELEMENTS}`);
          const last = sizeOf(dims) === 0 ? -1 : dims.reduce((end, d, i) => end + (d - 1) * strides[i]!, offset as number);
          if (last >= storage.numel) fail(`tensor reaches element ${last} of a storage of ${storage.numel}`);
          return new TensorRef(storage, offset as number, dims, strides);
        }
        default:
          return fail(`${fn.qualified} is a storage type, not something a state dict calls`);
      }
    },
  };
}

function storageOf(items: readonly unknown[], fail: (msg: string) => never): { type: string; key: string; numel: number } {
  const [, type, key, , numel] = items;
  if (!(type instanceof PyGlobal) || !(type.name in STORAGES) || typeof key !== 'string' || !Number.isSafeInteger(numel) || (numel as number) < 0) {
    return fail('storage persistent id is not (storage, type, key, location, size)');
  }
  return { type: type.name, key, numel: numel as number };
}

function readZip(bytes: Uint8Array, file: string | undefined, fail: (msg: string) => never): TensorMap {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    return fail(`broken zip archive (${(e as Error).message})`);
  }
  const pkl = Object.keys(entries).find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkl === undefined) return fail('zip archive without <name>/data.pkl: not a torch.save file');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = entries[`${prefix}byteorder`];
  if (order !== undefined && new TextDecoder().decode(order) !== 'little') fail('big-endian storages are not supported');
  const storages = new Map<string, Storage>();
  const value = unpickle(entries[pkl]!, 0, hooks((items) => {
    const { type, key, numel } = storageOf(items, fail);
    let s = storages.get(key);
    if (s === undefined) {
      s = new Storage(type, key, numel, 0);
      const data = entries[`${prefix}data/${key}`];
      if (data === undefined) fail(`storage ${key} is missing from the archive`);
      if (data!.length < numel * STORAGES[type]!.size) fail(`storage ${key} holds ${data!.length} bytes, ${numel} x ${type} needs ${numel * STORAGES[type]!.size}`);
      s.bytes = data;
      storages.set(key, s);
    }
    return s;
  }, fail), file).value;
  return materialize(value, fail);
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

function readLegacy(bytes: Uint8Array, file: string | undefined, fail: (msg: string) => never): TensorMap {
  const plain: PickleHooks = {
    allowGlobal: () => false,
    call: () => fail('unexpected call'),
    persistentLoad: () => fail('unexpected persistent id'),
  };
  const magic = unpickle(bytes, 0, plain, file);
  if (magic.value !== LEGACY_MAGIC) fail('legacy torch file without its magic number');
  const protocol = unpickle(bytes, magic.end, plain, file);
  if (protocol.value !== 1001) fail(`legacy torch protocol ${String(protocol.value)}, expected 1001`);
  const info = unpickle(bytes, protocol.end, plain, file);
  if (!(info.value instanceof Map) || info.value.get('little_endian') !== true) fail('big-endian storages are not supported');
  // Legacy ids name a root storage and optionally a view into it: (view key, element offset, size).
  const roots = new Map<string, Storage>();
  const views: Storage[] = [];
  const body = unpickle(bytes, info.end, hooks((items) => {
    const { type, key, numel } = storageOf(items, fail);
    if (!roots.has(key)) roots.set(key, new Storage(type, key, numel, 0));
    const view = items[5];
    if (view === null || view === undefined) return roots.get(key)!;
    const [, offset, size] = view instanceof PyTuple ? view.items : [];
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || (offset as number) < 0 || (size as number) < 0) fail('storage view is not (key, offset, size)');
    const s = new Storage(type, key, size as number, offset as number);
    views.push(s);
    return s;
  }, fail), file);
  const keys = unpickle(bytes, body.end, plain, file);
  if (!Array.isArray(keys.value) || !keys.value.every((k) => typeof k === 'string')) fail('legacy storage key list is not a list of strings');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keys.end;
  for (const key of keys.value as string[]) {
    const s = roots.get(key);
    if (s === undefined) fail(`storage ${key} is listed but no tensor uses it`);
    if (pos + 8 > bytes.length) fail(`storage ${key}: the file ends before its size`);
    const numel = view.getBigInt64(pos, true);
    if (numel !== BigInt(s!.numel)) fail(`storage ${key} holds ${numel} elements, the pickle says ${s!.numel}`);
    const n = s!.numel * STORAGES[s!.type]!.size;
    if (pos + 8 + n > bytes.length) fail(`storage ${key}: the file ends inside its ${n} bytes`);
    s!.bytes = bytes.subarray(pos + 8, pos + 8 + n);
    pos += 8 + n;
  }
  for (const v of views) {
    const root = roots.get(v.key)!;
    if (v.offset + v.numel > root.numel) fail(`storage view ${v.key} reaches past its root storage`);
    if (root.bytes !== undefined) v.bytes = root.bytes.subarray(v.offset * STORAGES[v.type]!.size);
  }
  return materialize(body.value, fail);
}

/** The tensors of a state dict (or of a checkpoint's `state_dict` / `model`), contiguous float32. */
function materialize(value: unknown, fail: (msg: string) => never): TensorMap {
  let dict = value;
  if (dict instanceof Map && ![...dict.values()].some((v) => v instanceof TensorRef)) {
    dict = dict.get('state_dict') ?? dict.get('model') ?? dict;
  }
  if (!(dict instanceof Map)) return fail('the pickle holds no state dict (a dict of tensors)');
  const out: TensorMap = new Map();
  for (const [name, t] of dict) {
    if (typeof name !== 'string' || !(t instanceof TensorRef)) return fail(`state dict entry ${JSON.stringify(String(name))} is not a tensor`);
    const { size, read } = STORAGES[t.storage.type]!;
    const bytes = t.storage.bytes;
    if (bytes === undefined) return fail(`storage ${t.storage.key} of "${name}" has no data in the file`);
    const n = sizeOf(t.shape);
    if (t.storage.type === 'FloatStorage' && isContiguous(t.shape, t.stride)) {
      // The common case, copied in one go (a fresh buffer: the storage may be unaligned).
      out.set(name, { shape: [...t.shape], data: new Float32Array(bytes.slice(t.offset * 4, (t.offset + n) * 4).buffer) });
      continue;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = new Float32Array(n);
    const index = new Array<number>(t.shape.length).fill(0);
    let at = t.offset;
    for (let i = 0; i < data.length; i++) {
      data[i] = read(view, at * size);
      // Odometer over the shape, moving `at` by the strides (a transposed or sliced tensor).
      for (let d = t.shape.length - 1; d >= 0; d--) {
        at += t.stride[d]!;
        if (++index[d]! < t.shape[d]!) break;
        at -= t.stride[d]! * t.shape[d]!;
        index[d] = 0;
      }
    }
    out.set(name, { shape: [...t.shape], data });
  }
  return out;
}

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}
