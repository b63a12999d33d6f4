import type { Emit } from './types.js';

export const lrn: Emit<'LRN'> = (node, [x], { model, g }) => {
  const a = node.attrs;
  if (a.size % 2 === 1) {
    return {
      name: g.node('LRN', [x!.name], node.name, { size: { int: a.size }, alpha: { float: a.alpha }, beta: { float: a.beta }, bias: { float: a.bias } }),
    };
  }
  // ONNX defines even sizes (window c - floor((size-1)/2) .. c + ceil((size-1)/2)) but ONNX
  // Runtime's LRN kernel takes odd sizes only, so spell it out: a 1x1 conv sums the squares.
  const c = model.shapeOf(node.name)[2]!;
  const lo = Math.floor((a.size - 1) / 2);
  const hi = a.size - 1 - lo;
  const band = {
    rows: c,
    rowLength: c,
    fill(first: number, count: number, out: Float32Array) {
      for (let o = first; o < first + count; o++) {
        for (let i = 0; i < c; i++) out[(o - first) * c + i] = i >= o - lo && i <= o + hi ? 1 : 0;
      }
    },
  };
  const n = node.name;
  const sq = g.node('Mul', [x!.name, x!.name], `${n}/square`);
  const sum = g.node('Conv', [sq, g.initializer(`${n}/window`, [c, c, 1, 1], band)], `${n}/sum`, { kernel_shape: { ints: [1, 1] }, pads: { ints: [0, 0, 0, 0] } });
  const scaled = g.node('Mul', [sum, g.floats(`${n}/alpha_over_size`, [a.alpha / a.size], [])], `${n}/scaled`);
  const base = g.node('Add', [scaled, g.floats(`${n}/bias`, [a.bias], [])], `${n}/base`);
  const denom = g.node('Pow', [base, g.floats(`${n}/beta`, [a.beta], [])], `${n}/denominator`);
  return { name: g.node('Div', [x!.name, denom], n) };
};
