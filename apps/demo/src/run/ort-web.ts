/**
 * onnxruntime-web (wasm) behind core's CompiledModel contract: the model is exported to ONNX in
 * the page (NHWC input and outputs, so it takes the same tensors as tfjs) and run by ORT's wasm
 * build, whose .wasm file is bundled with the app (no network).
 */
import * as ort from 'onnxruntime-web/wasm';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { checkPredictInput, type CompiledModel, type Model, type TensorData } from '@convzoo/core';
import { exportOnnx } from '@convzoo/backend-ort/export';

// One thread: the page is not cross-origin isolated, so wasm threads are not available anyway.
ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };

export async function compileOrtWeb(model: Model): Promise<CompiledModel> {
  const bytes = exportOnnx(model, { inputLayout: 'nhwc', outputLayout: 'nhwc' });
  let session: ort.InferenceSession | undefined = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  return {
    device: 'wasm',
    async predict(input: TensorData): Promise<TensorData[]> {
      if (session === undefined) throw new Error('predict after dispose');
      const n = checkPredictInput(model, input);
      const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [n, ...model.inputShape]) };
      const results = await session.run(feeds);
      return model.graph.outputs.map((name) => {
        const t = results[name]!;
        return { shape: [...t.dims], data: t.data as Float32Array };
      });
    },
    async dispose() {
      await session?.release();
      session = undefined;
    },
  };
}
