/**
 * A restricted unpickler for PyTorch state dicts: torch.load(weights_only=True) semantics. It
 * knows only the opcodes a state dict uses (protocols 2-5), builds plain values, and resolves
 * GLOBAL / STACK_GLOBAL against an allow-list; any other global is refused by name before
 * anything could run (nothing here ever runs code from the file). Every structure it grows is
 * bounded, and each opcode consumes at least one byte, so work is linear in the input.
 */
import { FileFormatError } from '@convzoo/core';

/** A Python tuple (JS arrays are lists). */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** An allow-listed global, by its module and name. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What the caller does with the globals it allows: persistent ids and REDUCE calls. */
export interface PickleHooks {
  /** Whether `module.name` may be referenced at all. */
  allowGlobal(module: string, name: string): boolean;
  /** REDUCE on an allowed global; throw to refuse. */
  call(fn: PyGlobal, args: readonly unknown[]): unknown;
  /** BINPERSID / PERSID. */
  persistentLoad(pid: unknown): unknown;
}

/** Far above any state dict (ResNet-152's pickle peaks near 3,000 stack entries), far below harm. */
export const MAX_PICKLE_STACK = 1_000_000;
export const MAX_PICKLE_MEMO = 1_000_000;

/** Reads one pickle starting at `start`; returns the value and the offset after its STOP. */
export function unpickle(bytes: Uint8Array, start: number, hooks: PickleHooks, file?: string): { value: unknown; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = start;
  const fail = (msg: string): never => {
    throw new FileFormatError(`pickle at byte ${pos}: ${msg}`, file);
  };
  const need = (n: number) => {
    if (n < 0 || pos + n > bytes.length) fail(`needs ${n} more bytes, the file ends at ${bytes.length}`);
  };
  const u8 = () => (need(1), bytes[pos++]!);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) fail(`length ${v} exceeds the file`);
    return Number(v);
  };
  const raw = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const utf8 = (n: number) => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw(n));
    } catch (e) {
      if (e instanceof FileFormatError) throw e;
      return fail('string is not valid UTF-8');
    }
  };
  const latin1 = (n: number) => {
    const b = raw(n);
    let s = '';
    // Chunked: spreading a long string's bytes into one call would overflow the call stack.
    for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
    return s;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 1024) fail('GLOBAL name without a newline within 1024 bytes');
    return latin1(end - pos + 1).slice(0, -1);
  };
  const push = (v: unknown) => {
    if (stack.length >= MAX_PICKLE_STACK) fail(`stack exceeds ${MAX_PICKLE_STACK} entries`);
    stack.push(v);
  };
  const pop = (): unknown => {
    if (stack.length <= (marks[marks.length - 1] ?? 0)) fail('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length <= (marks[marks.length - 1] ?? 0)) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail('no MARK to pop to');
    return stack.splice(m!);
  };
  const put = (i: number, v: unknown) => {
    if (!memo.has(i) && memo.size >= MAX_PICKLE_MEMO) fail(`memo exceeds ${MAX_PICKLE_MEMO} entries`);
    memo.set(i, v);
  };
  const get = (i: number) => (memo.has(i) ? memo.get(i) : fail(`memo entry ${i} was never stored`));
  const global = (module: string, name: string): PyGlobal => {
    if (!hooks.allowGlobal(module, name)) {
      fail(`refused global ${module}.${name}: a state dict needs only tensors, storages and containers, so nothing else is loaded (nothing was executed)`);
    }
    return new PyGlobal(module, name);
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i];
      if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'bigint' && typeof k !== 'boolean' && k !== null) {
        fail('dict key must be a string or a number');
      }
      (target as Map<unknown, unknown>).set(k, items[i + 1]);
    }
  };
  const append = (target: unknown, items: unknown[]) => {
    if (!Array.isArray(target)) fail('APPEND(S) on something that is not a list');
    if ((target as unknown[]).length + items.length > MAX_PICKLE_STACK) fail(`list exceeds ${MAX_PICKLE_STACK} items`);
    for (const v of items) (target as unknown[]).push(v);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol above 5');
        break;
      case 0x95: // FRAME: a length hint only
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length > 0) fail(`STOP with ${stack.length} values on the stack`);
        return { value: stack[0], end: pos };
      case 0x28: // MARK
        if (marks.length >= MAX_PICKLE_STACK) fail('too many MARKs');
        marks.push(stack.length);
        break;
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x4a: push(i32()); break; // BININT
      case 0x8a: { // LONG1: little-endian two's complement
        const n = u8();
        let v = 0n;
        const b = raw(n);
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! >= 0x80) v -= 1n << BigInt(8 * n);
        push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: need(8); push(view.getFloat64(pos, false)); pos += 8; break; // BINFLOAT (big-endian)
      case 0x58: push(utf8(u32())); break; // BINUNICODE
      case 0x8c: push(utf8(u8())); break; // SHORT_BINUNICODE
      case 0x8d: push(utf8(u64())); break; // BINUNICODE8
      case 0x55: push(latin1(u8())); break; // SHORT_BINSTRING (Python 2 str)
      case 0x54: { // BINSTRING
        const n = i32();
        if (n < 0) fail('negative string length');
        push(latin1(n));
        break;
      }
      case 0x43: push(raw(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: push(raw(u32()).slice()); break; // BINBYTES
      case 0x7d: push(new Map()); break; // EMPTY_DICT
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x29: push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x6c: push(popMark()); break; // LIST
      case 0x64: { const d = new Map(); setItems(d, popMark()); push(d); break; } // DICT
      case 0x71: put(u8(), top()); break; // BINPUT
      case 0x72: put(u32(), top()); break; // LONG_BINPUT
      case 0x94: put(memo.size, top()); break; // MEMOIZE
      case 0x68: push(get(u8())); break; // BINGET
      case 0x6a: push(get(u32())); break; // LONG_BINGET
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x61: { const v = pop(); append(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x63: { const module = line(); push(global(module, line())); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        push(global(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const fn = pop();
        if (!(fn instanceof PyGlobal)) fail('REDUCE on something that is not an allowed global');
        if (!(args instanceof PyTuple)) fail('REDUCE arguments must be a tuple');
        push(hooks.call(fn as PyGlobal, (args as PyTuple).items));
        break;
      }
      case 0x62: { // BUILD: only an OrderedDict's attributes (a state dict's _metadata), which are dropped
        pop();
        if (!(top() instanceof Map)) fail('BUILD on something that is not a dict');
        break;
      }
      case 0x51: push(hooks.persistentLoad(pop())); break; // BINPERSID
      default:
        fail(`opcode 0x${op.toString(16).padStart(2, '0')} is not one a state dict uses`);
    }
  }
}
