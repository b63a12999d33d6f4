/**
 * backend-tfjs's max-pool gradient hands tfjs's MaxPoolGrad its inputs shifted by 1 - min(x) (a
 * tfjs-wasm workaround), and float32 rounds small differences away in that sum: two ReLU outputs
 * 1e-8 apart become equal, and the window's gradient can land on a cell that is not its
 * maximum. Deep networks have such windows, so the parity tests hold ONNX Runtime against an
 * exact reference instead: the same forward pass, and a backward pass (plain loops) that routes
 * each window's gradient to its first maximum in scan order, ONNX Runtime's rule.
 */
import * as tf from '@tensorflow/tfjs-core';
import { window2d, type NodeOf } from '@convzoo/core';
import { OP_KERNELS } from '../../../../backend-tfjs/dist/ops/index.js';
import { differentiable } from '../../../../backend-tfjs/dist/ops/grad.js';

function maxPoolGradient(x: Float32Array, dy: Float32Array, [n, h, w, c]: readonly number[], node: NodeOf<'MaxPool2D'>): Float32Array {
  const a = node.attrs;
  const win = window2d(h!, w!, a.poolSize, a.strides, [1, 1], a.padding, a.ceilMode);
  const [oh, ow] = [win.h.out, win.w.out];
  const dx = new Float32Array(x.length);
  for (let b = 0; b < n!; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c!; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let ky = 0; ky < a.poolSize[0]; ky++) {
            const iy = oy * a.strides[0] + ky - win.h.padBefore;
            if (iy < 0 || iy >= h!) continue;
            for (let kx = 0; kx < a.poolSize[1]; kx++) {
              const ix = ox * a.strides[1] + kx - win.w.padBefore;
              if (ix < 0 || ix >= w!) continue;
              const i = ((b * h! + iy) * w! + ix) * c! + ch;
              if (x[i]! > best) [best, at] = [x[i]!, i];
            }
          }
          dx[at] = dx[at]! + dy[((b * oh + oy) * ow + ox) * c! + ch]!;
        }
      }
    }
  }
  return dx;
}

/** Replaces backend-tfjs's MaxPool2D kernel in this process (tests only). */
export function useExactMaxPoolGradient(): void {
  const original = OP_KERNELS.MaxPool2D;
  (OP_KERNELS as { MaxPool2D: typeof original }).MaxPool2D = {
    op: 'MaxPool2D',
    run(node, [x], ctx) {
      return differentiable(
        [x!],
        ([xi]) => ({ value: original.run(node, [xi!], ctx), saved: [xi!] }),
        (dy, [xi]) => [tf.tensor(maxPoolGradient(xi!.dataSync() as Float32Array, dy.dataSync() as Float32Array, xi!.shape, node), xi!.shape)],
      );
    },
  };
}
