/**
 * A slow, plain float64 interpreter of the IR: the executable statement of each op's
 * semantics that every backend is checked against. NHWC, batch first. Not for production.
 */
import type { Model } from '../model.js';
import type { GraphNode, NodeOf } from '../ops/attrs.js';
import { poolDilation } from '../ops/pool2d.js';
import { window2d } from '../ops/window.js';
import { sizeOf, type TensorData } from '../tensor.js';

interface T {
  shape: number[];
  data: Float64Array;
}

type Kernel<N extends GraphNode> = (node: N, inputs: T[], model: Model) => T;

const w = (model: Model, node: string, param: string) => model.weight(node, param).data;

const conv2d: Kernel<NodeOf<'Conv2D'>> = (node, [x], model) => {
  const a = node.attrs;
  const [n, h, wd, c] = x!.shape as [number, number, number, number];
  const win = window2d(h, wd, a.kernelSize, a.strides, a.dilation, a.padding);
  const [kh, kw] = a.kernelSize;
  const cinG = c / a.groups;
  const coutG = a.filters / a.groups;
  const k = w(model, node.name, 'kernel');
  const bias = a.useBias ? w(model, node.name, 'bias') : undefined;
  const mask = a.connectionMask;
  const oh = win.h.out, ow = win.w.out;
  const out = new Float64Array(n * oh * ow * a.filters);
  for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) for (let o = 0; o < a.filters; o++) {
    const g = Math.floor(o / coutG);
    let s = bias ? bias[o]! : 0;
    for (let i = 0; i < kh; i++) {
      const iy = y * a.strides[0] + i * a.dilation[0] - win.h.padBefore;
      if (iy < 0 || iy >= h) continue;
      for (let j = 0; j < kw; j++) {
        const ix = xx * a.strides[1] + j * a.dilation[1] - win.w.padBefore;
        if (ix < 0 || ix >= wd) continue;
        for (let ci = 0; ci < cinG; ci++) {
          const cin = g * cinG + ci;
          if (mask && mask[cin]![o] === 0) continue;
          s += x!.data[((b * h + iy) * wd + ix) * c + cin]! * k[((i * kw + j) * cinG + ci) * a.filters + o]!;
        }
      }
    }
    out[((b * oh + y) * ow + xx) * a.filters + o] = s;
  }
  return { shape: [n, oh, ow, a.filters], data: out };
};

/** Shared by max, average and LeNet subsampling: visits each window's (dilated) cells. */
function pool(
  x: T, kernel: readonly [number, number], strides: readonly [number, number],
  padding: NodeOf<'MaxPool2D'>['attrs']['padding'], ceilMode: boolean,
  reduce: (values: number[], paddedCount: number, c: number) => number,
  dilation: readonly [number, number] = [1, 1],
): T {
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const win = window2d(h, wd, kernel, strides, dilation, padding, ceilMode);
  const oh = win.h.out, ow = win.w.out;
  const out = new Float64Array(n * oh * ow * c);
  // Window taps along one axis: those inside the input, and how many lie in input + declared padding
  // (never the ceil-mode overhang), as PyTorch counts them.
  const taps = (start: number, k: number, d: number, size: number, padAfter: number) => {
    const inside: number[] = [];
    let padded = 0;
    for (let i = 0; i < k; i++) {
      const p = start + i * d;
      if (p < size + padAfter) padded++;
      if (p >= 0 && p < size) inside.push(p);
    }
    return { inside, padded };
  };
  for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
    const ty = taps(y * strides[0] - win.h.padBefore, kernel[0], dilation[0], h, win.h.padAfter);
    const tx = taps(xx * strides[1] - win.w.padBefore, kernel[1], dilation[1], wd, win.w.padAfter);
    for (let ch = 0; ch < c; ch++) {
      const values: number[] = [];
      for (const iy of ty.inside) for (const ix of tx.inside) values.push(x.data[((b * h + iy) * wd + ix) * c + ch]!);
      out[((b * oh + y) * ow + xx) * c + ch] = reduce(values, ty.padded * tx.padded, ch);
    }
  }
  return { shape: [n, oh, ow, c], data: out };
}

const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);

const maxPool: Kernel<NodeOf<'MaxPool2D'>> = ({ attrs: a }, [x]) =>
  pool(x!, a.poolSize, a.strides, a.padding, a.ceilMode, (v) => Math.max(...v), poolDilation(a));

const avgPool: Kernel<NodeOf<'AvgPool2D'>> = ({ attrs: a }, [x]) =>
  pool(x!, a.poolSize, a.strides, a.padding, a.ceilMode, (v, padded) => sum(v) / (a.countIncludePad ? padded : v.length), poolDilation(a));

const subsampling: Kernel<NodeOf<'Subsampling'>> = (node, [x], model) => {
  const coef = w(model, node.name, 'coefficient');
  const bias = w(model, node.name, 'bias');
  return pool(x!, node.attrs.poolSize, node.attrs.strides, 'valid', false, (v, _p, c) => sum(v) * coef[c]! + bias[c]!);
};

function map(x: T, f: (v: number, i: number) => number): T {
  return { shape: x.shape, data: x.data.map(f) };
}

const activation: Kernel<NodeOf<'Activation'>> = ({ attrs }, [x]) => {
  switch (attrs.fn) {
    case 'linear': return x!;
    case 'relu': return map(x!, (v) => Math.max(v, 0));
    case 'tanh': return map(x!, Math.tanh);
    case 'sigmoid': return map(x!, (v) => 1 / (1 + Math.exp(-v)));
    case 'scaled_tanh': return map(x!, (v) => 1.7159 * Math.tanh((2 * v) / 3));
    case 'leaky_relu': return map(x!, (v) => (v < 0 ? attrs.alpha! * v : v));
    case 'clip': return map(x!, (v) => Math.min(Math.max(v, attrs.min ?? -Infinity), attrs.max ?? Infinity));
    case 'softmax': {
      const c = x!.shape[x!.shape.length - 1]!;
      const out = new Float64Array(x!.data.length);
      for (let r = 0; r < out.length; r += c) {
        const row = x!.data.subarray(r, r + c);
        const m = Math.max(...row);
        const e = row.map((v) => Math.exp(v - m));
        const s = sum([...e]);
        for (let i = 0; i < c; i++) out[r + i] = e[i]! / s;
      }
      return { shape: x!.shape, data: out };
    }
  }
};

const batchNorm: Kernel<NodeOf<'BatchNorm'>> = (node, [x], model) => {
  const c = x!.shape[x!.shape.length - 1]!;
  const [g, bt, m, v] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => w(model, node.name, p));
  return map(x!, (val, i) => {
    const ch = i % c;
    return ((val - m![ch]!) / Math.sqrt(v![ch]! + node.attrs.epsilon)) * g![ch]! + bt![ch]!;
  });
};

const lrn: Kernel<NodeOf<'LRN'>> = ({ attrs: a }, [x]) => {
  const c = x!.shape[3]!;
  const lo = Math.floor((a.size - 1) / 2);
  const hi = Math.ceil((a.size - 1) / 2);
  return map(x!, (val, i) => {
    const ch = i % c;
    const base = i - ch;
    let s = 0;
    for (let k = Math.max(0, ch - lo); k <= Math.min(c - 1, ch + hi); k++) s += x!.data[base + k]! ** 2;
    return val / (a.bias + (a.alpha / a.size) * s) ** a.beta;
  });
};

const dense: Kernel<NodeOf<'Dense'>> = (node, [x], model) => {
  const [n, f] = x!.shape as [number, number];
  const u = node.attrs.units;
  const k = w(model, node.name, 'kernel');
  const bias = node.attrs.useBias ? w(model, node.name, 'bias') : undefined;
  const out = new Float64Array(n * u);
  for (let b = 0; b < n; b++) for (let o = 0; o < u; o++) {
    let s = bias ? bias[o]! : 0;
    for (let i = 0; i < f; i++) s += x!.data[b * f + i]! * k[i * u + o]!;
    out[b * u + o] = s;
  }
  return { shape: [n, u], data: out };
};

const globalAvgPool: Kernel<NodeOf<'GlobalAvgPool2D'>> = (_node, [x]) => {
  const [n, h, wd, c] = x!.shape as [number, number, number, number];
  const out = new Float64Array(n * c);
  for (let i = 0; i < x!.data.length; i++) {
    const b = Math.floor(i / (h * wd * c));
    out[b * c + (i % c)]! += x!.data[i]! / (h * wd);
  }
  return { shape: [n, c], data: out };
};

const concatenate: Kernel<NodeOf<'Concatenate'>> = (_node, xs) => {
  const rows = sizeOf(xs[0]!.shape.slice(0, -1));
  const widths = xs.map((x) => x.shape[x.shape.length - 1]!);
  const total = sum(widths);
  const out = new Float64Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let off = 0;
    xs.forEach((x, j) => {
      out.set(x.data.subarray(r * widths[j]!, (r + 1) * widths[j]!), r * total + off);
      off += widths[j]!;
    });
  }
  return { shape: [...xs[0]!.shape.slice(0, -1), total], data: out };
};

const zeroPadding: Kernel<NodeOf<'ZeroPadding2D'>> = ({ attrs }, [x]) => {
  const [n, h, wd, c] = x!.shape as [number, number, number, number];
  const [[t, b], [l, r]] = attrs.padding;
  const oh = h + t + b, ow = wd + l + r;
  const out = new Float64Array(n * oh * ow * c);
  for (let bb = 0; bb < n; bb++) for (let y = 0; y < h; y++) for (let xx = 0; xx < wd; xx++) {
    out.set(x!.data.subarray(((bb * h + y) * wd + xx) * c, ((bb * h + y) * wd + xx + 1) * c), ((bb * oh + y + t) * ow + xx + l) * c);
  }
  return { shape: [n, oh, ow, c], data: out };
};

const KERNELS: { [K in GraphNode['op']]: Kernel<NodeOf<K>> } = {
  Input: () => {
    throw new Error('Input has no kernel');
  },
  Conv2D: conv2d,
  Dense: dense,
  MaxPool2D: maxPool,
  AvgPool2D: avgPool,
  GlobalAvgPool2D: globalAvgPool,
  Flatten: (_n, [x]) => ({ shape: [x!.shape[0]!, sizeOf(x!.shape.slice(1))], data: x!.data }),
  Dropout: (_n, [x]) => x!,
  BatchNorm: batchNorm,
  LRN: lrn,
  Activation: activation,
  Add: (_n, xs) => ({ shape: xs[0]!.shape, data: xs[0]!.data.map((_, i) => sum(xs.map((x) => x.data[i]!))) }),
  Concatenate: concatenate,
  ZeroPadding2D: zeroPadding,
  Subsampling: subsampling,
};

/** Runs the model's inference outputs in float64 and returns them as float32 tensors. */
export function referencePredict(model: Model, input: TensorData): TensorData[] {
  const values = new Map<string, T>();
  values.set(model.graph.inputs[0]!, { shape: [...input.shape], data: Float64Array.from(input.data) });
  for (const node of model.nodes) {
    if (node.op === 'Input' || !model.isInferenceNode(node.name)) continue;
    const kernel = KERNELS[node.op] as Kernel<GraphNode>;
    values.set(node.name, kernel(node, node.inputs.map((i) => values.get(i)!), model));
  }
  return model.graph.outputs.map((o) => {
    const t = values.get(o)!;
    return { shape: t.shape, data: Float32Array.from(t.data) };
  });
}
