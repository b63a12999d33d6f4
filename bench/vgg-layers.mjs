/**
 * VGG-16 batch-1 inference, @convzoo/backend-tfjs against tfjs-layers on tfjs-wasm: the case
 * bench/tfjs (LeNet-5 training, ResNet-50 inference) leaves out, with its converter and its
 * dependencies (the same tfjs instance both contenders run on).
 */
import { vgg16 } from '@convzoo/arch-vgg';
import { tf, tfjs, core } from './tfjs/deps.mjs';
import { layersPredictor, toLayersModel } from './tfjs/layers-model.mjs';
import { abba, progress, randomFloats } from './lib.mjs';

/**
 * The model as bench/tfjs's converter reads it, with Dropout nodes aliased to their input:
 * dropout is the identity at inference, and tfjs-layers' predict skips its dropout layers too.
 */
function withoutDropout(model) {
  const alias = new Map();
  const resolve = (n) => alias.get(n) ?? n;
  const nodes = [];
  for (const node of model.nodes) {
    if (node.op === 'Dropout') alias.set(node.name, resolve(node.inputs[0]));
    else nodes.push({ ...node, inputs: node.inputs.map(resolve) });
  }
  return {
    inputShape: model.inputShape,
    nodes,
    shapeOf: (n) => model.shapeOf(n),
    weight: (...a) => model.weight(...a),
    graph: { outputs: model.graph.outputs.map(resolve) },
  };
}

export async function vggLayers(rounds) {
  const model = vgg16({});
  const compiled = await tfjs({ device: 'wasm' }).compile(model);
  await tf.setBackend('wasm');
  const layers = toLayersModel(withoutDropout(model));
  const input = { shape: [1, ...model.inputShape], data: randomFloats(core.sizeOf(model.inputShape)) };
  const layersPredict = layersPredictor(layers, input);
  const agreement = core.maxRelDiff((await compiled.predict(input))[0].data, await layersPredict());
  const [convzoo, tfl] = await abba(
    [{ name: 'convzoo', run: () => compiled.predict(input) }, { name: 'tfjs-layers', run: layersPredict }],
    { rounds, warmup: 1, onRun: (who, t, done, total) => progress(`tfjs vgg16 batch 1: ${done}/${total} (${who} ${t.toFixed(0)} ms)`) },
  );
  await compiled.dispose();
  layers.dispose();
  return { convzoo, layers: tfl, ratio: convzoo.fastestMs / tfl.fastestMs, ratioMedian: convzoo.medianMs / tfl.medianMs, agreement };
}
