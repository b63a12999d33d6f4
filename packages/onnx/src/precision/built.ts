/**
 * What the precision passes share: they rewrite an exported fp32 graph (ONNX structure plus
 * streamed initializers) after export, so every emitter stays float32 and single-purpose.
 */
import { ConvzooError } from '@convzoo/core';
import type { InitializerSource } from '../proto/encode.js';
import { DataType, type IModelProto, type INodeProto } from '../proto/proto.js';

export interface Built {
  readonly proto: IModelProto;
  readonly initializers: InitializerSource[];
}

/** The precisions export writes: float32, float16 weights, or int8 QDQ. */
export type Precision = 'fp32' | 'fp16' | 'int8';

export const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'int8'];

export function checkPrecision(p: unknown): Precision {
  if (!(PRECISIONS as readonly unknown[]).includes(p)) {
    throw new ConvzooError('ARGUMENT_INVALID', `precision must be one of ${PRECISIONS.join(', ')}, got ${JSON.stringify(p)}`);
  }
  return p as Precision;
}

export function nodesOf(b: Built): INodeProto[] {
  return b.proto.graph!.node as INodeProto[];
}

/** value -> the nodes reading it. */
export function readersOf(nodes: readonly INodeProto[]): Map<string, INodeProto[]> {
  const readers = new Map<string, INodeProto[]>();
  for (const n of nodes) for (const i of n.input!) if (i !== '') readers.set(i, [...(readers.get(i) ?? []), n]);
  return readers;
}

/** All values of a float initializer (the passes that need them hold one tensor at a time). */
export function floatValues(source: InitializerSource): Float32Array {
  if (source.dataType !== DataType.FLOAT) throw new Error(`initializer "${source.name}" is not float32`);
  const bytes = new Uint8Array(source.byteLength);
  let pos = 0;
  for (const c of source.chunks()) {
    bytes.set(c, pos);
    pos += c.length;
  }
  return new Float32Array(bytes.buffer);
}

/** An initializer holding `data` as it is (the bytes of a typed array, little-endian). */
export function rawInitializer(name: string, dataType: number, dims: readonly number[], data: ArrayBufferView): InitializerSource {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dataType, dims, byteLength: bytes.byteLength, *chunks() { yield bytes; } };
}

/** A name no value, node or initializer of the graph uses yet (and reserves it). */
export function namer(b: Built): (base: string) => string {
  const used = new Set<string>(b.initializers.map((i) => i.name));
  for (const n of nodesOf(b)) for (const v of [...n.input!, ...n.output!, n.name ?? '']) used.add(v);
  for (const v of [...b.proto.graph!.input!, ...b.proto.graph!.output!]) used.add(v.name!);
  return (base) => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
}

/** Drops initializers no node reads any more (the float originals of converted weights). */
export function withoutUnread(b: Built): Built {
  const read = new Set(nodesOf(b).flatMap((n) => n.input!));
  return { proto: b.proto, initializers: b.initializers.filter((i) => read.has(i.name)) };
}

/** Records the precision in the file's metadata_props (`convzoo.precision`). */
export function recordPrecision(b: Built, precision: Precision, extra: Record<string, string> = {}): void {
  const props = [...(b.proto.metadataProps ?? []), { key: 'convzoo.precision', value: precision }];
  for (const [key, value] of Object.entries(extra)) props.push({ key, value });
  b.proto.metadataProps = props;
}
