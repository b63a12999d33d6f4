/**
 * Test support: protobuf text format (what config.pbtxt is) parsed against a schema read by
 * protobufjs, so a config is checked by Triton's own model-config definition, not by string
 * matching. Unknown fields, values of the wrong type, unknown enum names, a singular field or a
 * oneof set twice and malformed syntax are errors naming the field and what was expected.
 * Covers the text format's forms: `field: value`, `field { ... }` / `field: < ... >`, repeated
 * fields as `[a, b]` or repeated entries, map fields as `{ key: ... value: ... }` entries,
 * adjacent string literals, `#` comments.
 */
import protobuf from 'protobufjs';

export type TextValue = string | number | boolean | TextMessage | TextValue[];
export interface TextMessage { [field: string]: TextValue }

/** The schema's root, with proto field names kept as written (snake_case). */
export function loadSchema(protoSource: string): protobuf.Root {
  const { root } = protobuf.parse(protoSource, { keepCase: true });
  root.resolveAll();
  return root;
}

interface Token { readonly kind: 'ident' | 'number' | 'string' | 'punct'; readonly text: string; readonly value: string; readonly line: number }

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|#[^\n]*|([A-Za-z_][A-Za-z0-9_]*)|([-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[fF]?)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|([{}[\]:,;<>])/gy;
  let line = 1;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (m === null) throw new Error(`line ${line}: unexpected character ${JSON.stringify(text[at])}`);
    if (m[1] !== undefined) tokens.push({ kind: 'ident', text: m[1], value: m[1], line });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2], value: m[2], line });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: m[3], value: unescape(m[3].slice(1, -1), line), line });
    else if (m[4] !== undefined) tokens.push({ kind: 'punct', text: m[4], value: m[4], line });
    line += (m[0].match(/\n/g) ?? []).length;
  }
  return tokens;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', '?': '?' };

function unescape(s: string, line: number): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const c = ESCAPES[e];
    if (c === undefined) throw new Error(`line ${line}: unknown escape \\${e}`);
    return c;
  });
}

const INTEGER = /^[-+]?(0[xX][0-9a-fA-F]+|\d+)$/;
const RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n], sint32: [-(2n ** 31n), 2n ** 31n - 1n], sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n], fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n], sint64: [-(2n ** 63n), 2n ** 63n - 1n], sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n], fixed64: [0n, 2n ** 64n - 1n],
};

/** Parses `text` as a message of `typeName` (e.g. `inference.ModelConfig`); throws on anything the schema does not allow. */
export function parseTextFormat(root: protobuf.Root, typeName: string, text: string): TextMessage {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (msg: string, t = peek()): never => {
    throw new Error(`${t ? `line ${t.line}` : 'end of text'}: ${msg}`);
  };
  const next = () => tokens[pos++] ?? fail('unexpected end of text');
  const accept = (p: string) => {
    if (peek()?.kind === 'punct' && peek()!.text === p) {
      pos++;
      return true;
    }
    return false;
  };

  /** A scalar or enum value of protobuf type `type` (`resolved`: its Enum, if it is one). */
  function scalar(type: string, resolved: protobuf.ReflectionObject | null, where: string): TextValue {
    const t = next();
    const expected = (what: string): never => fail(`${where} is ${type}, expected ${what}, got ${t.text}`, t);
    if (resolved instanceof protobuf.Enum) {
      const values = resolved.values;
      if (t.kind === 'ident') return t.text in values ? t.text : fail(`${where}: unknown ${resolved.name} value ${t.text}; expected one of ${Object.keys(values).join(', ')}`, t);
      if (t.kind === 'number' && INTEGER.test(t.text)) return Number(t.text);
      return expected(`a ${resolved.name} name`);
    }
    switch (type) {
      case 'string':
      case 'bytes': {
        if (t.kind !== 'string') return expected('a quoted string');
        let s = t.value;
        while (peek()?.kind === 'string') s += next().value;
        return s;
      }
      case 'bool':
        if (t.kind === 'ident' && ['true', 'True', 't'].includes(t.text)) return true;
        if (t.kind === 'ident' && ['false', 'False', 'f'].includes(t.text)) return false;
        if (t.kind === 'number' && (t.text === '0' || t.text === '1')) return t.text === '1';
        return expected('true or false');
      case 'float':
      case 'double':
        if (t.kind === 'number') return Number(t.text.replace(/[fF]$/, ''));
        if (t.kind === 'ident' && /^-?(inf|infinity|nan)$/i.test(t.text)) return Number(t.text.replace(/inf(inity)?/i, 'Infinity').replace(/nan/i, 'NaN'));
        return expected('a number');
      default: {
        const range = RANGES[type];
        if (range === undefined) return fail(`${where}: field type ${type} is not a scalar`, t);
        if (t.kind !== 'number' || !INTEGER.test(t.text)) return expected('an integer');
        const v = BigInt(t.text.replace(/^\+/, ''));
        if (v < range[0] || v > range[1]) return fail(`${where}: ${t.text} is out of range for ${type}`, t);
        return Number(v);
      }
    }
  }

  function message(type: protobuf.Type, close: string | undefined): TextMessage {
    const out: TextMessage = {};
    const oneofs = new Map<string, string>();
    for (;;) {
      if (close === undefined ? peek() === undefined : accept(close)) return out;
      const name = next();
      if (name.kind !== 'ident') fail(`expected a field name of ${type.fullName.slice(1)}, got ${name.text}`, name);
      const field = type.fields[name.text];
      if (field === undefined) fail(`unknown field "${name.text}" in ${type.fullName.slice(1)}; expected one of ${Object.keys(type.fields).join(', ')}`, name);
      const where = `${type.fullName.slice(1)}.${name.text}`;
      const group = field!.partOf;
      if (group) {
        const other = oneofs.get(group.name);
        if (other !== undefined && other !== name.text) fail(`${where}: oneof ${group.name} already has ${other}`, name);
        oneofs.set(group.name, name.text);
      }
      const isMessage = field!.map || field!.resolvedType instanceof protobuf.Type;
      const colon = accept(':');
      if (!isMessage && !colon) fail(`${where}: expected ':' after a scalar field name`);
      const one = (): TextValue => {
        if (!isMessage) return scalar(field!.type, field!.resolvedType, where);
        const open = next();
        if (open.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) fail(`${where}: expected '{' or '<' to start a message, got ${open.text}`, open);
        const end = open.text === '{' ? '}' : '>';
        return field!.map ? mapEntry(field as unknown as protobuf.MapField, where, end) : message(field!.resolvedType as protobuf.Type, end);
      };
      let values: TextValue[];
      if (accept('[')) {
        if (!field!.repeated && !field!.map) fail(`${where} is not repeated: a list is not allowed`);
        values = [];
        if (!accept(']')) {
          do values.push(one()); while (accept(','));
          if (!accept(']')) fail(`${where}: expected ',' or ']'`);
        }
      } else {
        values = [one()];
      }
      if (field!.repeated || field!.map) {
        out[name.text] = [...((out[name.text] as TextValue[] | undefined) ?? []), ...values];
      } else {
        if (name.text in out) fail(`${where} is set twice (it is not repeated)`, name);
        out[name.text] = values[0]!;
      }
      accept(',') || accept(';');
    }
  }

  /** A map entry `{ key: K value: V }`: the two fields of the entry message protobuf defines for a map. */
  function mapEntry(field: protobuf.MapField, where: string, close: string): TextMessage {
    const out: TextMessage = {};
    while (!accept(close)) {
      const name = next();
      if (name.kind !== 'ident' || (name.text !== 'key' && name.text !== 'value')) fail(`${where}: a map entry has key and value, got ${name.text}`, name);
      if (name.text in out) fail(`${where}: map entry ${name.text} is set twice`, name);
      const at = `${where}.${name.text}`;
      const isMessage = name.text === 'value' && field.resolvedType instanceof protobuf.Type;
      if (!accept(':') && !isMessage) fail(`${at}: expected ':' after a scalar field name`);
      if (isMessage) {
        const open = next();
        if (open.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) fail(`${at}: expected '{' or '<' to start a message, got ${open.text}`, open);
        out.value = message(field.resolvedType as protobuf.Type, open.text === '{' ? '}' : '>');
      } else {
        out[name.text] = name.text === 'key' ? scalar(field.keyType, null, at) : scalar(field.type, field.resolvedType, at);
      }
      accept(',') || accept(';');
    }
    if (!('key' in out)) fail(`${where}: map entry without a key`);
    return out;
  }

  const type = root.lookupType(typeName);
  return message(type, undefined);
}
