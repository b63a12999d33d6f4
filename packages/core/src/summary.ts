export interface LayerSummary {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputShape: readonly number[];
  readonly params: { readonly trainable: number; readonly nonTrainable: number };
  /** Multiply-accumulates of convolutions and dense layers, batch 1; 0 for training-only nodes. */
  readonly macs: number;
  /** True for nodes that only run in training (auxiliary heads). */
  readonly trainingOnly: boolean;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Model summary: totals plus one row per layer; toString() prints a Keras/torchinfo-like table. */
export class Summary {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSummary[];
  readonly params: { readonly trainable: number; readonly nonTrainable: number; readonly total: number };
  readonly macs: number;
  /** 2 x MACs. */
  readonly flops: number;

  constructor(name: string, inputShape: readonly number[], layers: readonly LayerSummary[]) {
    this.name = name;
    this.inputShape = inputShape;
    this.layers = layers;
    const trainable = layers.reduce((n, l) => n + l.params.trainable, 0);
    const nonTrainable = layers.reduce((n, l) => n + l.params.nonTrainable, 0);
    this.params = { trainable, nonTrainable, total: trainable + nonTrainable };
    this.macs = layers.reduce((n, l) => n + l.macs, 0);
    this.flops = 2 * this.macs;
  }

  toJSON() {
    return { name: this.name, inputShape: this.inputShape, params: this.params, macs: this.macs, flops: this.flops, layers: this.layers };
  }

  toString(): string {
    const header = ['Layer (op)', 'Output shape', 'Param #', 'MACs', 'Connected to'];
    const rows = this.layers.map((l) => [
      `${l.name} (${l.op})${l.trainingOnly ? ' *' : ''}`,
      `[${['N', ...l.outputShape].join(', ')}]`,
      fmt(l.params.trainable + l.params.nonTrainable),
      fmt(l.macs),
      l.inputs.join(', '),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    const total = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    const rule = (ch: string) => ch.repeat(total);
    const out = [
      `Model: "${this.name}"  input [N, ${this.inputShape.join(', ')}]`,
      rule('='),
      line(header),
      rule('='),
      ...rows.map(line),
      rule('='),
      `Total params: ${fmt(this.params.total)}`,
      `Trainable params: ${fmt(this.params.trainable)}`,
      `Non-trainable params: ${fmt(this.params.nonTrainable)}`,
      `MACs: ${fmt(this.macs)} (FLOPs: ${fmt(this.flops)})`,
    ];
    if (this.layers.some((l) => l.trainingOnly)) out.push('* training-only (auxiliary head): no MACs at inference');
    out.push(rule('='));
    return out.join('\n');
  }
}
