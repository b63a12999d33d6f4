import { list } from '@convzoo/core';
import type { Command } from '../command.js';
import { MODEL_OPTIONS, resolveModel } from '../models.js';
import { printJson } from '../output.js';
import { UsageError } from '../errors.js';

export const summaryCommand: Command = {
  name: 'summary',
  description: 'print the layer table, parameter counts and MACs of a model',
  usage: `convzoo summary <arch|model-dir> [--variant V] [--input-shape H,W,C] [--classes N] [--no-aux] [--weights FILE] [--json]
convzoo summary --all [--json]

  --variant V           architecture variant (default: paper); see convzoo list
  --input-shape H,W,C   input size (default: the architecture's)
  --classes N           number of classes (default: the architecture's)
  --no-aux              GoogLeNet without its auxiliary classifiers
  --all                 every registered architecture at its defaults
  --json                one JSON document: { params: { trainable, nonTrainable, total }, macs, flops, layers }`,
  options: { ...MODEL_OPTIONS, json: { type: 'boolean' }, all: { type: 'boolean' } },
  positionals: (argv) => {
    if (!argv.includes('--all')) return 1;
    if (argv.some((a) => !a.startsWith('-'))) throw new UsageError('convzoo summary --all takes no architecture argument');
    return 0;
  },
  run({ positionals, values }, io) {
    const summaries = values.all
      ? list().map((e) => e.create({}).summary())
      : [resolveModel(positionals[0]!, values).summary()];
    if (values.json) return printJson(io, values.all ? summaries : summaries[0]);
    io.out(summaries.map((s) => s.toString()).join('\n\n'));
  },
};
