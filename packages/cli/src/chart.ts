/** A small, dependency-free SVG chart of a training history: loss (left) and accuracy (right). */
export interface HistoryPoint {
  /** Numbered from 1, as the console prints it. */
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
}

/** XML text: class names come from folder names. */
const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const W = 720;
const H = 300;
const PAD = { left: 50, right: 20, top: 30, bottom: 40 };

function panel(
  x0: number, width: number, title: string, series: { name: string; color: string; values: (number | undefined)[] }[], epochs: number[], fixed?: [number, number],
): string {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const [lo, hi] = fixed ?? [Math.min(0, ...all), Math.max(...all, 1e-9)];
  const px = (i: number) => x0 + PAD.left + (epochs.length === 1 ? 0 : (i / (epochs.length - 1)) * (width - PAD.left - PAD.right));
  const py = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.top - PAD.bottom);
  const axes = [
    `<text x="${x0 + width / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`,
    `<line x1="${x0 + PAD.left}" y1="${H - PAD.bottom}" x2="${x0 + width - PAD.right}" y2="${H - PAD.bottom}" stroke="#888"/>`,
    `<line x1="${x0 + PAD.left}" y1="${PAD.top}" x2="${x0 + PAD.left}" y2="${H - PAD.bottom}" stroke="#888"/>`,
    ...[lo, (lo + hi) / 2, hi].map((v) => `<text x="${x0 + PAD.left - 6}" y="${py(v) + 4}" text-anchor="end">${v.toPrecision(3)}</text>`),
    ...epochs.map((e, i) => `<text x="${px(i)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${e}</text>`),
    `<text x="${x0 + width / 2}" y="${H - 6}" text-anchor="middle">epoch</text>`,
  ];
  const lines = series.map((s, k) => {
    const pts = s.values.map((v, i) => (v === undefined ? undefined : `${px(i).toFixed(1)},${py(v).toFixed(1)}`)).filter(Boolean);
    if (pts.length === 0) return '';
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>` +
      pts.map((p) => `<circle cx="${p!.split(',')[0]}" cy="${p!.split(',')[1]}" r="3" fill="${s.color}"/>`).join('') +
      `<text x="${x0 + width - PAD.right - 4}" y="${PAD.top + 14 * (k + 1)}" text-anchor="end" fill="${s.color}">${s.name}</text>`;
  });
  return [...axes, ...lines].join('\n');
}

export function historySvg(title: string, history: readonly HistoryPoint[]): string {
  const epochs = history.map((h) => h.epoch);
  const half = W / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="${H + 14}" text-anchor="middle" fill="#555">${escapeXml(title)}</text>`,
    panel(0, half, 'loss', [
      { name: 'train', color: '#1f77b4', values: history.map((h) => h.loss) },
      { name: 'validation', color: '#ff7f0e', values: history.map((h) => h.valLoss) },
    ], epochs),
    panel(half, half, 'accuracy', [
      { name: 'train', color: '#1f77b4', values: history.map((h) => h.accuracy) },
      { name: 'validation', color: '#ff7f0e', values: history.map((h) => h.valAccuracy) },
    ], epochs, [Math.min(...history.flatMap((h) => [h.accuracy, h.valAccuracy ?? 1])) * 0.98, 1]),
    '</svg>',
  ].join('\n');
}

/**
 * The confusion matrix as a heat map (rows: true class, columns: predicted), each cell shaded by
 * its share of the row (the class's recall on the diagonal) and labelled with its count.
 */
export function confusionSvg(title: string, classes: readonly string[], confusion: readonly (readonly number[])[]): string {
  const n = classes.length;
  const cell = Math.max(14, Math.min(48, Math.floor(640 / n)));
  const label = Math.min(120, 8 + 7 * Math.max(...classes.map((c) => c.length)));
  const [x0, y0] = [label + 24, label + 40];
  const size = n * cell;
  const font = Math.max(7, Math.min(12, cell / 3));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${x0 + size + 20}" height="${y0 + size + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${x0 + size / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${x0 + size / 2}" y="32" text-anchor="middle">predicted</text>`,
    `<text x="12" y="${y0 + size / 2}" text-anchor="middle" transform="rotate(-90 12 ${y0 + size / 2})">true</text>`,
  ];
  classes.forEach((c, i) => {
    const mid = i * cell + cell / 2;
    out.push(`<text x="${x0 - 4}" y="${y0 + mid + 4}" text-anchor="end">${escapeXml(c)}</text>`);
    out.push(`<text x="${x0 + mid}" y="${y0 - 4}" transform="rotate(-60 ${x0 + mid} ${y0 - 4})">${escapeXml(c)}</text>`);
  });
  confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => {
      const share = total > 0 ? v / total : 0;
      // White to blue by share; the count in white on dark cells.
      const shade = Math.round(255 * (1 - 0.8 * share));
      const [x, y] = [x0 + j * cell, y0 + i * cell];
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="#ddd"><title>${escapeXml(classes[i]!)} as ${escapeXml(classes[j]!)}: ${v}</title></rect>`);
      if (v > 0) out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + font / 3}" text-anchor="middle" font-size="${font}" fill="${share > 0.5 ? 'white' : 'black'}">${v}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n');
}
