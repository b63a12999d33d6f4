/**
 * fp16 export: the weights of Conv, Gemm and BatchNormalization stored as float16, each read
 * through a Cast to float32, so inputs, outputs and compute stay float32 (onnxconverter-common's
 * keep_io_types, with float32 compute). Why float32 compute: ONNX Runtime's CPU provider has no
 * float16 Conv kernel on x86; given a float16 Conv it inserts Casts around a float32 one itself.
 * The file is half the size; runtimes fold the Casts at load.
 */
import { ConvzooError } from '@convzoo/core';
import type { InitializerSource } from '../proto/encode.js';
import { AttrType, DataType } from '../proto/proto.js';
import { namer, nodesOf, type Built, withoutUnread } from './built.js';
import { HALF_MAX, halfBits } from './half.js';

/** Inputs (by index) that hold weights, per operator. */
const WEIGHT_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  Gemm: [1, 2],
  BatchNormalization: [1, 2, 3, 4],
};

/** The weight as float16, converted chunk by chunk as it is written. */
function toHalf(source: InitializerSource): InitializerSource {
  return {
    name: source.name,
    dataType: DataType.FLOAT16,
    dims: source.dims,
    byteLength: source.byteLength / 2,
    *chunks() {
      for (const chunk of source.chunks()) {
        const aligned = chunk.byteOffset % 4 === 0 ? chunk : chunk.slice();
        const values = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
        const bits = new Uint16Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          if (Math.abs(v) > HALF_MAX) {
            throw new ConvzooError('UNSUPPORTED', `weight "${source.name}" holds ${v}, outside float16's range (|x| <= ${HALF_MAX}); export it as fp32`);
          }
          bits[i] = halfBits(v);
        }
        yield new Uint8Array(bits.buffer);
      }
    },
  };
}

export function toFp16(b: Built): Built {
  const unique = namer(b);
  const inits = new Map(b.initializers.map((i) => [i.name, i]));
  const casts = new Map<string, string>();
  const nodes = [];
  for (const node of nodesOf(b)) {
    for (const i of WEIGHT_INPUTS[node.opType!] ?? []) {
      const name = node.input![i];
      const source = name === undefined ? undefined : inits.get(name);
      if (source === undefined || source.dataType !== DataType.FLOAT) continue;
      let cast = casts.get(name!);
      if (cast === undefined) {
        cast = unique(`${name}/float`);
        casts.set(name!, cast);
        nodes.push({ name: cast, opType: 'Cast', input: [name!], output: [cast], attribute: [{ name: 'to', type: AttrType.INT, i: DataType.FLOAT }] });
      }
      node.input![i] = cast;
    }
    nodes.push(node);
  }
  b.proto.graph!.node = nodes;
  return withoutUnread({ proto: b.proto, initializers: b.initializers.map((i) => (casts.has(i.name) ? toHalf(i) : i)) });
}
