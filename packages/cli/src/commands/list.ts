import { list } from '@convzoo/core';
import '../models.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';

/** 326520 -> 326.5K, 4089184256 -> 4.09G */
function compact(n: number): string {
  for (const [unit, size] of [['G', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (n >= size) return `${(n / size).toPrecision(4)}${unit}`;
  }
  return String(n);
}

export const listCommand: Command = {
  name: 'list',
  description: 'list the registered architectures, their variants and model cards',
  usage: `convzoo list [--json]

Lists every architecture with its variants, default input, parameters and MACs.
  --json   print one JSON document: [{ name, family, variants, cards: [...] }]`,
  options: { json: { type: 'boolean' } },
  positionals: 0,
  run({ values }, io) {
    const entries = list().map((e) => ({ name: e.name, family: e.family, variants: [...e.variants], cards: e.variants.map((v) => e.card(v)) }));
    if (values.json) return printJson(io, entries);
    const rows = entries.flatMap((e) => e.cards.map((c) => [
      c.name, c.variant, c.inputShape.join('x'), c.params.trainable.toLocaleString('en-US'),
      c.params.nonTrainable.toLocaleString('en-US'), compact(c.macs),
    ]));
    const header = ['name', 'variant', 'input', 'trainable', 'non-trainable', 'MACs'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    io.out([line(header), ...rows.map(line)].join('\n'));
  },
};
