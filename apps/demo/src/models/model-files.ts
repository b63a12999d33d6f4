/**
 * A model as the files of a model directory (the names `loadModelDir` in @convzoo/core/node
 * reads: graph.json, weights.safetensors, preprocessing.json), with the training metadata the
 * weights file recorded kept.
 */
import { encodeSafetensors, graphToJson, type Model } from '@convzoo/core';
import { zip } from '../ui/zip.js';

export const GRAPH_FILE = 'graph.json';
export const WEIGHTS_FILE = 'weights.safetensors';
export const PREPROCESSING_FILE = 'preprocessing.json';

/** The directory's files; `metadata` (convzoo_classes, convzoo_epoch, …) goes into the safetensors header. */
export function modelFiles(model: Model, metadata: Readonly<Record<string, string>> = {}): Map<string, Uint8Array | string> {
  const files = new Map<string, Uint8Array | string>([
    [GRAPH_FILE, graphToJson(model.graph)],
    [WEIGHTS_FILE, encodeSafetensors(model.weights, { format: 'pt', ...metadata, convzoo_graph: model.name })],
  ]);
  if (model.preprocessing !== undefined) files.set(PREPROCESSING_FILE, `${JSON.stringify(model.preprocessing, null, 1)}\n`);
  return files;
}

/** The directory as one zip holding `<dir>/graph.json` etc.: `unzip` gives the folder `convzoo predict <dir>` reads. */
export function modelZip(dir: string, model: Model, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  return zip(new Map([...modelFiles(model, metadata)].map(([name, data]) => [`${dir}/${name}`, data])));
}
