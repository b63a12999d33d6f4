import { readFileSync } from 'node:fs';
import { isConvzooError } from '@convzoo/core';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_PICKLE_STACK, readTorch } from '../index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const str = (s: string) => [0x8c, s.length, ...[...s].map((c) => c.charCodeAt(0))];

/** Pickles that would run code under pickle.load: each must be refused by name. */
const EVIL: Record<string, [Uint8Array, string]> = {
  'GLOBAL os system + REDUCE': [bytes([0x80, 2], 'cos\nsystem\n', [0x8c, 4], 'echo', [0x85], 'R.'), 'os.system'],
  'GLOBAL builtins eval + REDUCE': [bytes([0x80, 2], 'cbuiltins\neval\n', [0x8c, 1], '1', [0x85], 'R.'), 'builtins.eval'],
  'GLOBAL posix system alone': [bytes([0x80, 2], 'cposix\nsystem\n.'), 'posix.system'],
  'STACK_GLOBAL subprocess Popen': [bytes([0x80, 4], str('subprocess'), str('Popen'), [0x93], [0x8c, 2], 'ls', [0x85], 'R.'), 'subprocess.Popen'],
  'STACK_GLOBAL builtins exec': [bytes([0x80, 4], str('builtins'), str('exec'), [0x93, 0x2e]), 'builtins.exec'],
  'GLOBAL torch._utils other function': [bytes([0x80, 2], 'ctorch._utils\n_load_from_bytes\n.'), 'torch._utils._load_from_bytes'],
  'GLOBAL collections defaultdict': [bytes([0x80, 2], 'ccollections\ndefaultdict\n.'), 'collections.defaultdict'],
  'storage class called': [bytes([0x80, 2], 'ctorch\nFloatStorage\n)R.'), 'torch.FloatStorage is a storage type'],
};

function legacy(pickle: Uint8Array): Uint8Array {
  // Magic number, protocol 1001, sys info {'little_endian': True}, then the hostile pickle.
  const magic = bytes([0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
  const protocol = bytes([0x80, 2, 0x4d, 0xe9, 0x03, 0x2e]);
  const info = bytes([0x80, 2, 0x7d], str('little_endian'), [0x88, 0x73, 0x2e]);
  return new Uint8Array([...magic, ...protocol, ...info, ...pickle]);
}

function expectConvzooError(f: () => unknown, message?: string): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(isConvzooError(error), String(error)).toBe(true);
  if (message !== undefined) expect((error as Error).message).toContain(message);
}

describe('hostile pickles', () => {
  describe.each(Object.entries(EVIL))('%s', (_name, [pickle, what]) => {
    it.each([
      ['zip', () => zipSync({ 'archive/data.pkl': pickle }, { level: 0 })],
      ['legacy', () => legacy(pickle)],
    ])('is refused by name in the %s format, running nothing', (_format, file) => {
      expectConvzooError(() => readTorch(file(), 'evil.pth'), what);
    });
  });

  it('says what was refused and that nothing ran', () => {
    expectConvzooError(() => readTorch(legacy(EVIL['GLOBAL os system + REDUCE']![0])), 'refused global os.system: a state dict needs only tensors, storages and containers, so nothing else is loaded (nothing was executed)');
  });

  it('bounds the stack and the marks', () => {
    const marks = new Uint8Array(MAX_PICKLE_STACK + 10).fill(0x28);
    marks.set([0x80, 2]);
    expectConvzooError(() => readTorch(legacy(marks)), 'too many MARKs');
    const nones = new Uint8Array(MAX_PICKLE_STACK + 10).fill(0x4e);
    nones.set([0x80, 2]);
    expectConvzooError(() => readTorch(legacy(nones)), `stack exceeds ${MAX_PICKLE_STACK} entries`);
  });

  it('refuses a tensor reaching past its storage and absurd sizes', () => {
    const tensor = (numel: number, size: number[]) => bytes(
      [0x80, 2], 'ccollections\nOrderedDict\n)R', str('w'), 'ctorch._utils\n_rebuild_tensor_v2\n(',
      '(', str('storage'), 'ctorch\nFloatStorage\n', str('0'), str('cpu'), [0x4a, ...new Uint8Array(new Int32Array([numel]).buffer)], 't', [0x51],
      [0x4b, 0], '(', ...size.map((d) => [0x4a, ...new Uint8Array(new Int32Array([d]).buffer)]), 't', '(', ...size.map(() => [0x4b, 1]), 't', [0x89], 't', 'R', 's.',
    );
    const zip = (pkl: Uint8Array) => zipSync({ 'archive/data.pkl': pkl, 'archive/data/0': new Uint8Array(16) }, { level: 0 });
    expectConvzooError(() => readTorch(zip(tensor(4, [5]))), 'reaches element 4 of a storage of 4');
    expectConvzooError(() => readTorch(zip(tensor(4, [2 ** 30, 2]))), 'exceeds the limit');
    expectConvzooError(() => readTorch(zip(tensor(8, [8]))), 'storage 0 holds 16 bytes');
    expect(readTorch(zip(tensor(4, [4]))).get('w')!.shape).toEqual([4]);
  });
});

describe('broken files', () => {
  it.each(['tiny.pth', 'tiny-legacy.pth'])('every truncation of %s is a ConvzooError', (name) => {
    const file = fixture(name);
    for (let n = 0; n < file.length; n += 7) expectConvzooError(() => readTorch(file.subarray(0, n)));
  });

  it.each([
    ['empty', new Uint8Array(0), 'not a PyTorch file'],
    ['text', bytes('hello world'), 'not a PyTorch file'],
    ['zip without data.pkl', zipSync({ 'a.txt': bytes('x') }), 'without <name>/data.pkl'],
    ['broken zip', bytes('PK\x03\x04garbage'), 'broken zip archive'],
    ['pickle of a list', zipSync({ 'archive/data.pkl': bytes([0x80, 2, 0x5d, 0x2e]) }), 'holds no state dict'],
  ])('%s', (_name, file, message) => {
    expectConvzooError(() => readTorch(file), message);
  });
});
