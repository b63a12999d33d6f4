/**
 * The drawn graph as a standalone SVG file (styles inlined, the whole graph in view) or a PNG
 * rendered from it.
 */

// The graph's rules from style.css with the light theme's colours: a saved file has no stylesheet.
const STYLE = `
text { font: 11px ui-monospace, monospace; fill: #1d2330; } text.detail { fill: #4a5468; }
.group rect { fill: #f1f4fb; stroke: #7d90bf; stroke-dasharray: 4 3; } .group text { font-weight: bold; fill: #33456f; }
.node rect { stroke: #7b8496; fill: #fff; } .node.selected rect { stroke: #e36c00; stroke-width: 3; }
.node.conv rect { fill: #dbe8ff; } .node.dense rect { fill: #e7dcff; } .node.pool rect { fill: #d9f2e6; }
.node.norm rect { fill: #fff1cc; } .node.act rect { fill: #f4f4f4; } .node.merge rect { fill: #ffd9d9; } .node.io rect { fill: #d0d4dc; }
.edge { fill: none; stroke: #7d8699; stroke-width: 1; } .arrowhead { fill: #7d8699; }`;

export function graphSvg(graph: SVGSVGElement, box: { x: number; y: number; w: number; h: number }): string {
  const copy = graph.cloneNode(true) as SVGSVGElement;
  for (const a of ['class', 'role', 'tabindex', 'aria-label', 'data-testid', 'data-opened', 'style']) copy.removeAttribute(a);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('viewBox', `${box.x - 10} ${box.y - 10} ${box.w + 20} ${box.h + 20}`);
  copy.setAttribute('width', String(Math.ceil(box.w + 20)));
  copy.setAttribute('height', String(Math.ceil(box.h + 20)));
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = STYLE;
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({ x: box.x - 10, y: box.y - 10, width: box.w + 20, height: box.h + 20, fill: '#fff' })) background.setAttribute(k, String(v));
  copy.prepend(style, background);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

/** Browsers cap canvas sides (about 16k-32k px): big graphs are scaled down to fit. */
const MAX_SIDE = 8192;

export async function graphPng(svgText: string, width: number, height: number): Promise<Uint8Array> {
  const scale = Math.min(2, MAX_SIDE / width, MAX_SIDE / height);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
    if (blob === null) throw new Error('the browser could not encode the PNG');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}
