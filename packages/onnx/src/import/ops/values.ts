/** Reading a node's inputs: checked kinds, constants, and relabelling a result. */
import type { SymbolicTensor } from '@convzoo/core';
import type { OnnxNode, OnnxTensor } from '../../proto/decode.js';
import { DataType } from '../../proto/proto.js';
import { nodeError, type Imported, type TensorValue } from '../context.js';
import type { Input } from './types.js';

export const KIND_WORDS: Record<Imported['kind'], string> = {
  map: 'an NCHW feature map',
  map_nhwc: 'an NHWC feature map',
  vec: 'a [N, F] vector',
  pooled: 'a [N, C, 1, 1] pooled map',
  flat: 'an NCHW-flattened map',
  const: 'a constant',
  shape: 'a shape computation',
  scaled: 'a value times a constant',
  tanh_scaled: 'tanh of a value times a constant',
  quantized: 'a quantized (uint8 / int8) tensor',
};

/** A float32 constant computed at import (a dequantized or cast initializer). */
export function floatConst(name: string, dims: readonly number[], values: Float32Array): Imported {
  return {
    kind: 'const',
    tensor: {
      name, dataType: DataType.FLOAT, dims, floats: () => values.slice(),
      ints: () => {
        throw new Error(`tensor "${name}": expected an integer tensor, got FLOAT`);
      },
    },
  };
}

export function tensorIn<K extends TensorValue['kind']>(node: OnnxNode, v: Input, i: number, kinds: readonly K[]): Extract<TensorValue, { kind: K }> {
  if (v === undefined) throw nodeError(node, `input ${i} is missing`);
  if (!(kinds as readonly string[]).includes(v.kind)) {
    throw nodeError(node, `input ${i} ("${node.inputs[i]}") is ${KIND_WORDS[v.kind]}; convzoo can import this operator only on ${kinds.map((k) => KIND_WORDS[k]).join(' or ')}`, 'UNSUPPORTED');
  }
  return v as Extract<TensorValue, { kind: K }>;
}

export function constIn(node: OnnxNode, v: Input, i: number, what: string): OnnxTensor {
  if (v?.kind !== 'const') throw nodeError(node, `input ${i} (${what}) must be a constant (an initializer or Constant), got ${v ? KIND_WORDS[v.kind] : 'nothing'}`, 'UNSUPPORTED');
  return v.tensor;
}

/** A constant or computed integer vector, with 'N' for the batch size. */
export function intsIn(node: OnnxNode, v: Input, i: number, what: string): readonly (number | 'N')[] {
  if (v?.kind === 'shape') return v.values;
  return constIn(node, v, i, what).ints();
}

export function scalarIn(v: Input): number | undefined {
  if (v?.kind !== 'const' || v.tensor.dims.reduce((x, y) => x * y, 1) !== 1) return undefined;
  return v.tensor.floats()[0];
}

export function relabel(v: TensorValue, node: SymbolicTensor): TensorValue {
  return v.kind === 'flat' ? { kind: 'flat', node, from: v.from } : { kind: v.kind, node };
}

export function sameKind(node: OnnxNode, inputs: readonly Input[]): TensorValue[] {
  const vs = inputs.map((v, i) => tensorIn(node, v, i, ['map', 'map_nhwc', 'vec', 'pooled', 'flat']));
  const first = vs[0]!;
  const same = vs.every((v) => v.kind === first.kind && (v.kind !== 'flat' || (first.kind === 'flat' && v.from.join() === first.from.join())));
  if (!same) throw nodeError(node, `inputs mix layouts (${vs.map((v) => KIND_WORDS[v.kind]).join(', ')})`, 'UNSUPPORTED');
  return vs;
}

/** The ONNX dims of a tensor value after the batch: [C, H, W], [H, W, C], [F] or [C, 1, 1]. */
export function onnxDims(v: TensorValue): number[] {
  const [a, b, c] = v.node.shape as [number, number, number];
  return { map: [c, a, b], map_nhwc: [a, b, c], vec: [a], pooled: [a, 1, 1], flat: [a] }[v.kind];
}

/** `axis` of a rank-`rank` tensor counted from 0 (ONNX allows negative axes from opset 11 or 13). */
export function axisIn(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
