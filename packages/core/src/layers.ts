import { ConvzooError } from './errors.js';
import type { Model } from './model.js';

/**
 * The node a layer name means in `model`: a node name as is; an alias from the table (a model
 * card's `layerAliases`, such as GoogLeNet's `inception4e`); or a torchvision-style dotted module
 * path, with dots as convzoo's underscores (`layer1.0.conv1` is `layer1_0_conv1`) and a module
 * that is a container (`layer4`, `layer4.1`) meaning its last node, the module's output.
 */
export function resolveLayer(model: Model, name: string, aliases: Readonly<Record<string, string>> = {}): string {
  const names = new Set(model.nodes.map((n) => n.name));
  if (names.has(name)) return name;
  const alias = Object.hasOwn(aliases, name) ? aliases[name] : undefined;
  if (alias !== undefined && names.has(alias)) return alias;
  const path = name.replace(/\./g, '_');
  if (names.has(path)) return path;
  const inside = model.nodes.filter((n) => n.name.startsWith(`${path}_`) && model.isInferenceNode(n.name));
  const last = inside.at(-1);
  if (last !== undefined) return last.name;
  const known = Object.keys(aliases);
  throw new ConvzooError('ARGUMENT_INVALID', `no layer "${name}" in ${model.name}: give a node name (convzoo summary lists them)${known.length > 0 ? ` or one of ${known.join(', ')}` : ''}`);
}
