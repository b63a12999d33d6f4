/**
 * The same network as a tfjs-layers model, written the way a Keras user would: 'same' padding
 * where it equals the graph's pads, a ZeroPadding2D layer before 'valid' otherwise, a softmax
 * folded into the last Dense. Covers the ops of LeNet-5 (modern) and ResNet; weights copied.
 */
import { tf, tfl, core } from './deps.mjs';

function padding(node, [h, w]) {
  const a = node.attrs;
  const kernel = a.kernelSize ?? a.poolSize;
  const dilation = a.dilation ?? [1, 1];
  if (typeof a.padding === 'string') return { padding: a.padding };
  const win = core.window2d(h, w, kernel, a.strides, dilation, a.padding);
  const same = core.window2d(h, w, kernel, a.strides, dilation, 'same');
  const pads = [[win.h.padBefore, win.h.padAfter], [win.w.padBefore, win.w.padAfter]];
  if (pads.flat().every((p) => p === 0)) return { padding: 'valid' };
  if (win.h.out === same.h.out && win.w.out === same.w.out && win.h.padBefore === same.h.padBefore && win.w.padBefore === same.w.padBefore
    && win.h.padAfter === same.h.padAfter && win.w.padAfter === same.w.padAfter) return { padding: 'same' };
  return { padding: 'valid', zeroPad: pads };
}

export function toLayersModel(model) {
  const values = new Map();
  const weights = [];
  const input = tfl.input({ shape: [...model.inputShape] });
  for (const node of model.nodes) {
    if (node.op === 'Input') {
      values.set(node.name, input);
      continue;
    }
    const xs = node.inputs.map((i) => values.get(i));
    const shape = model.shapeOf(node.inputs[0]);
    const a = node.attrs;
    let y;
    switch (node.op) {
      case 'Conv2D': {
        if (a.groups !== 1 || a.connectionMask) throw new Error(`${node.name}: not expressible in tfjs-layers`);
        const p = padding(node, shape);
        const x = p.zeroPad ? tfl.layers.zeroPadding2d({ padding: p.zeroPad }).apply(xs[0]) : xs[0];
        const layer = tfl.layers.conv2d({ filters: a.filters, kernelSize: [...a.kernelSize], strides: [...a.strides], padding: p.padding, useBias: a.useBias, name: node.name });
        y = layer.apply(x);
        weights.push([layer, ['kernel', ...(a.useBias ? ['bias'] : [])]]);
        break;
      }
      case 'Dense': {
        const consumers = model.nodes.filter((n) => n.inputs.includes(node.name));
        const softmax = consumers.length === 1 && consumers[0].op === 'Activation' && consumers[0].attrs.fn === 'softmax';
        const layer = tfl.layers.dense({ units: a.units, useBias: a.useBias, name: node.name, ...(softmax ? { activation: 'softmax' } : {}) });
        y = layer.apply(xs[0]);
        weights.push([layer, ['kernel', ...(a.useBias ? ['bias'] : [])]]);
        break;
      }
      case 'BatchNorm': {
        const layer = tfl.layers.batchNormalization({ epsilon: a.epsilon, momentum: a.momentum, name: node.name });
        y = layer.apply(xs[0]);
        weights.push([layer, ['gamma', 'beta', 'moving_mean', 'moving_variance']]);
        break;
      }
      case 'Activation': {
        const producer = model.nodes.find((n) => n.name === node.inputs[0]);
        y = a.fn === 'softmax' && producer.op === 'Dense' ? xs[0] : tfl.layers.activation({ activation: a.fn }).apply(xs[0]);
        break;
      }
      case 'MaxPool2D': {
        if (a.ceilMode) throw new Error(`${node.name}: ceil mode is not expressible in tfjs-layers`);
        // Zero padding equals -inf padding here: ResNet pools after a ReLU.
        const p = padding(node, shape);
        const x = p.zeroPad ? tfl.layers.zeroPadding2d({ padding: p.zeroPad }).apply(xs[0]) : xs[0];
        y = tfl.layers.maxPooling2d({ poolSize: [...a.poolSize], strides: [...a.strides], padding: p.padding }).apply(x);
        break;
      }
      case 'Add': y = tfl.layers.add().apply(xs); break;
      case 'GlobalAvgPool2D': y = tfl.layers.globalAveragePooling2d({}).apply(xs[0]); break;
      case 'Flatten': y = tfl.layers.flatten().apply(xs[0]); break;
      default: throw new Error(`${node.name}: op ${node.op} is not in this converter`);
    }
    values.set(node.name, y);
  }
  const layersModel = tfl.model({ inputs: input, outputs: model.graph.outputs.map((o) => values.get(o)) });
  for (const [layer, params] of weights) {
    tf.tidy(() => layer.setWeights(params.map((p) => {
      const t = model.weight(layer.name, p);
      return tf.tensor(t.data, [...t.shape]);
    })));
  }
  return layersModel;
}

/** A predict of `input` ({ shape, data }) through the tfjs-layers model on wasm, resolving to its output values. */
export function layersPredictor(layers, input) {
  return async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(input.data, input.shape);
    const y = layers.predict(x);
    const data = await y.data();
    tf.dispose([x, y]);
    return data;
  };
}
