/**
 * Trained models shipped as public/models/<name>/graph.json + weights.safetensors (the layout
 * `convzoo train --out DIR` writes). The build lists the directories present (virtual:demo-assets),
 * so the page never requests a file that is not there.
 */
import { Model, decodeSafetensors, fitPreprocessing, graphFromJson, registry, type Graph } from '@convzoo/core';

export interface LoadedModelDir {
  readonly model: Model;
  /** The safetensors `__metadata__` (convzoo train records input statistics and class names). */
  readonly metadata: Readonly<Record<string, string>>;
}

const cache = new Map<string, Promise<LoadedModelDir>>();

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

/**
 * The preprocessing of the graph's architecture (its card's, fitted to the input), as the CLI
 * applies to an architecture: the shipped directories have no preprocessing.json of their own.
 */
function cardPreprocessing(graph: Graph, inputShape: readonly number[]) {
  const p = registry.list().find((e) => e.name === graph.name)?.card().preprocessing;
  try {
    return p === undefined ? undefined : fitPreprocessing(p, inputShape);
  } catch {
    return undefined; // an input the preset cannot give (another channel count): none recorded
  }
}

/** Fetches and validates one trained model directory (once; later calls share the result). */
export function loadModelDir(name: string): Promise<LoadedModelDir> {
  let p = cache.get(name);
  if (p === undefined) {
    const base = `${import.meta.env.BASE_URL}models/${name}/`;
    p = (async () => {
      const [graphText, weightBytes] = await Promise.all([
        fetchOk(`${base}graph.json`).then((r) => r.text()),
        fetchOk(`${base}weights.safetensors`).then((r) => r.arrayBuffer()),
      ]);
      const graph = graphFromJson(graphText, `${name}/graph.json`);
      const { tensors, metadata } = decodeSafetensors(new Uint8Array(weightBytes), `${name}/weights.safetensors`);
      const bare = new Model(graph, tensors);
      return { model: new Model(graph, tensors, { preprocessing: cardPreprocessing(graph, bare.inputShape) }), metadata };
    })();
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}
