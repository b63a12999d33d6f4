import { ConvzooError, decodeNpy, encodeNpy, formatShape, type TensorData } from '@convzoo/core';
import { readFileChecked, writeFileAtomic } from '@convzoo/core/node';

/** NCHW -> NHWC (the model's layout). */
export function nchwToNhwc(t: TensorData, file: string): TensorData {
  if (t.shape.length !== 4) throw new ConvzooError('ARGUMENT_INVALID', `${file}: --layout nchw needs a 4-D array [N, C, H, W], got ${formatShape(t.shape)}`);
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    out[((b * h + y) * w + x) * c + ch] = t.data[((b * c + ch) * h + y) * w + x]!;
  }
  return { shape: [n, h, w, c], data: out };
}

export function readNpy(path: string, layout: 'nhwc' | 'nchw'): TensorData {
  const t = decodeNpy(readFileChecked(path), path);
  return layout === 'nchw' ? nchwToNhwc(t, path) : t;
}

export function writeNpy(path: string, t: TensorData): void {
  writeFileAtomic(path, encodeNpy(t));
}

