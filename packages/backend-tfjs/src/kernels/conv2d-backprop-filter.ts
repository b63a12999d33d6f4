/**
 * Conv2DBackpropFilter written from a backend's own Transpose, Slice and Conv2D kernels.
 *
 * The filter gradient dW[i, j, c, o] = sum_{n, y, x} X[n, y*s + i - pad, x*s + j - pad, c] *
 * dY[n, y, x, o] is itself a convolution: take the input channels as the batch and the batch as
 * the channels (X -> [C, H, W, N]), use dY as a filter (dY -> [OH, OW, N, O]) dilated by the
 * forward stride, and the result [C, KH, KW, O] transposed is dW. tfjs's wasm backend has no
 * Conv2DBackpropFilter at all, and the cpu backend's is a naive loop about ten times slower
 * than its own Conv2D used this way, so both get this kernel.
 */
import * as tf from '@tensorflow/tfjs-core';

type Info = tf.TensorInfo;

function kernelOf(name: string, backend: string): tf.KernelFunc {
  const k = tf.getKernel(name, backend);
  if (k === undefined) throw new Error(`tfjs backend ${backend} has no ${name} kernel`);
  return k.kernelFunc;
}

export function conv2DBackpropFilterConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc({ inputs, backend, attrs }) {
      const { x, dy } = inputs as { x: Info; dy: Info };
      const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter: only NHWC is supported');
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode,
      );
      const kb = backend as tf.KernelBackend;
      const transpose = kernelOf(tf.Transpose, backendName);
      const slice = kernelOf(tf.Slice, backendName);
      const conv2d = kernelOf(tf.Conv2D, backendName);
      const temps: Info[] = [];
      const run = (f: tf.KernelFunc, ins: tf.NamedTensorInfoMap, at: object): Info => {
        const out = f({ inputs: ins, backend: kb, attrs: at as tf.NamedAttrMap }) as Info;
        temps.push(out);
        return out;
      };
      let xt = run(transpose, { x }, { perm: [3, 1, 2, 0] });
      const dyt = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] });
      // Pads that make the gradient convolution exactly KH x KW; rows and columns the forward
      // convolution never read (a negative pad) are cut off instead.
      const { top, left } = info.padInfo;
      const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top;
      const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left;
      if (bottom < 0 || right < 0) {
        const [c, h, w, n] = xt.shape as [number, number, number, number];
        xt = run(slice, { x: xt }, { begin: [0, 0, 0, 0], size: [c, h + Math.min(bottom, 0), w + Math.min(right, 0), n] });
      }
      const grad = run(conv2d, { x: xt, filter: dyt }, {
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
        dataFormat: 'NHWC',
      });
      const dw = transpose({ inputs: { x: grad }, backend: kb, attrs: { perm: [1, 2, 0, 3] } }) as Info;
      for (const t of temps) kb.disposeData(t.dataId);
      return dw;
    },
  };
}

const registered = new Set<string>();

/** Installs the kernel on a backend once, replacing a native one (cpu) where it exists. */
export function registerConv2DBackpropFilter(backendName: string): void {
  if (registered.has(backendName)) return;
  registered.add(backendName);
  if (tf.getKernel(tf.Conv2DBackpropFilter, backendName) !== undefined) tf.unregisterKernel(tf.Conv2DBackpropFilter, backendName);
  tf.registerKernel(conv2DBackpropFilterConfig(backendName));
}
