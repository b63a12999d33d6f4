/** A handler turns one ONNX node, given its inputs' values, into convzoo node(s). */
import type { OnnxNode } from '../../proto/decode.js';
import type { Attrs, ImportContext, Imported } from '../context.js';

export type Input = Imported | undefined;
export type Handler = (node: OnnxNode, inputs: readonly Input[], ctx: ImportContext, a: Attrs) => Imported;
