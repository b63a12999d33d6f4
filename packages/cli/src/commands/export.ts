import { encodeSafetensors, graphToJson } from '@convzoo/core';
import { writeFileAtomic } from '@convzoo/core/node';
import type { Command } from '../command.js';
import { choice, required } from '../args.js';
import { MODEL_OPTIONS, resolveModel } from '../models.js';

const FORMATS = ['graph', 'safetensors'] as const;

export const exportCommand: Command = {
  name: 'export',
  description: 'write a model as graph JSON or safetensors weights',
  usage: `convzoo export <arch|model-dir> --format ${FORMATS.join('|')} --out PATH [--variant V] [--seed S] [--input-shape H,W,C] [--classes N] [--no-aux]

  --format graph         the layer graph as convzoo.graph JSON (version 1)
  --format safetensors   the weights (<node>/<param>, float32) in Hugging Face safetensors
  --out PATH             output file, written atomically (nothing is left behind on error)
  --seed S               seed of the deterministic initialization (default 0)`,
  options: { ...MODEL_OPTIONS, format: { type: 'string' }, out: { type: 'string' } },
  positionals: 1,
  run({ positionals, values }, io) {
    const format = required(choice(values.format, '--format', FORMATS), '--format', 'export');
    const out = required(values.out as string | undefined, '--out PATH', 'export');
    const model = resolveModel(positionals[0]!, values);
    const bytes = format === 'graph' ? graphToJson(model.graph) : encodeSafetensors(model.weights, { format: 'pt', convzoo_graph: model.name });
    writeFileAtomic(out, bytes);
    io.err(`wrote ${out} (${format}, ${typeof bytes === 'string' ? bytes.length : bytes.byteLength} bytes)`);
  },
};
