/** Python literals for the generated source. */

/** A float literal that reads back as the same double (`1e-05`, `0.75`, `2.0`). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`non-finite constant ${x}`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A tuple of ints: `(3, 3)`. */
export const pyPair = (p: readonly number[]): string => `(${p.join(', ')})`;

/** A double-quoted string literal (JSON's escapes are Python's for these names). */
export const pyString = (s: string): string => JSON.stringify(s);

/** `ResNet18`-style class name from a model name (`vgg11_bn` -> `Vgg11Bn`). */
export function className(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  const id = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  return id === '' || /^[0-9]/.test(id) ? `Net${id}` : id;
}
