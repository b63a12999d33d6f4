import * as tf from '@tensorflow/tfjs-core';
import { checkPredictInput, ConvzooError, type CompiledModel, type Model, type TensorData } from '@convzoo/core';
import { useDevice, type TfjsDevice } from './devices.js';
import { runGraph } from './run-graph.js';
import { uploadParams } from './params.js';

/** A model's weights resident on one tfjs device, run through the graph on each predict. */
export class TfjsCompiledModel implements CompiledModel {
  readonly device: TfjsDevice;
  private readonly model: Model;
  private params: Map<string, tf.Tensor> | undefined;

  private constructor(model: Model, device: TfjsDevice, params: Map<string, tf.Tensor>) {
    this.model = model;
    this.device = device;
    this.params = params;
  }

  /** The device must be loaded already. */
  static async create(model: Model, device: TfjsDevice): Promise<TfjsCompiledModel> {
    await useDevice(device);
    return new TfjsCompiledModel(model, device, uploadParams(model));
  }

  async predict(input: TensorData): Promise<TensorData[]> {
    const params = this.params;
    if (params === undefined) throw new ConvzooError('ARGUMENT_INVALID', 'predict after dispose: this compiled model has been disposed');
    const n = checkPredictInput(this.model, input);
    await useDevice(this.device);
    const outputs = tf.tidy(() => {
      const x = tf.tensor(input.data, [n, ...this.model.inputShape], 'float32');
      return runGraph(this.model, x, params, { training: false, outputs: this.model.graph.outputs });
    });
    try {
      const data = await Promise.all(outputs.map((o) => o.data() as Promise<Float32Array>));
      return outputs.map((o, i) => ({ shape: o.shape, data: data[i]! }));
    } finally {
      tf.dispose(outputs);
    }
  }

  async dispose(): Promise<void> {
    if (this.params) tf.dispose([...this.params.values()]);
    this.params = undefined;
  }
}
