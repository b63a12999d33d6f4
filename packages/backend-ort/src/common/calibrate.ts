/**
 * int8 calibration: runs the float32 graph @convzoo/onnx writes for it (every tensor int8 export
 * quantizes exposed as an output) over the given batches and keeps each tensor's [min, max]
 * (min-max calibration, ONNX Runtime's quantizer default). The codec turns them into scales.
 */
import { checkPredictInput, ConvzooError, type Model, type TensorData } from '@convzoo/core';
import { calibrationOnnx, type ActivationRanges, type Layout } from '@convzoo/onnx';
import type { Sessions } from './sessions.js';

export interface CalibrateOptions {
  /** As the int8 export will use them (ranges are per exported tensor). */
  readonly outputLayout?: Layout;
  readonly foldBatchNorm?: boolean;
}

export async function calibrate<D extends string>(
  model: Model, batches: readonly TensorData[], sessions: Sessions<D>, opts: CalibrateOptions = {},
): Promise<ActivationRanges> {
  if (batches.length === 0) throw new ConvzooError('ARGUMENT_INVALID', 'calibration needs at least one batch of sample inputs (NHWC, preprocessed like the model\'s inputs)');
  const { bytes, tensors } = calibrationOnnx(model, opts);
  const session = await sessions.open(bytes, true);
  const ranges: Record<string, [number, number]> = Object.fromEntries(tensors.map((t) => [t, [Infinity, -Infinity]]));
  try {
    for (const batch of batches) {
      const n = checkPredictInput(model, batch);
      const { Tensor } = sessions.runtime;
      const out = await session.run({ [model.graph.inputs[0]!]: new Tensor('float32', batch.data as Float32Array, [n, ...model.inputShape]) }, tensors);
      for (const t of tensors) {
        const r = ranges[t]!;
        for (const v of out[t]!.data as Float32Array) {
          if (v < r[0]) r[0] = v;
          if (v > r[1]) r[1] = v;
        }
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}
