/**
 * convzoo graph -> a self-contained PyTorch module file (Python source; generating it needs no
 * torch). NCHW, layers at the state-dict names core's torchModules gives (torchvision's where
 * the family has them), forward() in graph order.
 */
import { ConvzooError, pythonIdentifier, registry, torchModules, type Model, type NodeOf, type OpName, type TorchvisionNames } from '@convzoo/core';
import type { Emitter } from './emitter.js';
import { EMITTERS } from './ops/index.js';
import { BASE, MASKED_CONV, SUBSAMPLING } from './prelude.js';
import { className, pyString } from './python.js';

export interface TorchModuleOptions {
  /** torchvision's names for the model's layers; by default the registry entry of `model.name` has them. */
  readonly torchvision?: TorchvisionNames;
  /** The class name; by default from the model name (`resnet18` -> `Resnet18`). */
  readonly className?: string;
}

export interface TorchModuleSource {
  /** The Python file: imports, helper classes, the nn.Module and `build()`. */
  readonly source: string;
  readonly className: string;
  /** convzoo node -> module path, for every node with parameters (the state dict's prefixes). */
  readonly modules: ReadonlyMap<string, string>;
}

/** Names the generated code itself uses, which no tensor variable may take. */
const RESERVED = new Set(['self', 'torch', 'nn', 'F', 'json', 'outputs']);

/** `self.layer1.0.conv1` is not Python: numeric parts go through getattr. */
function accessor(path: string): string {
  return path.split('.').reduce((expr, part) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `${expr}.${part}` : `getattr(${expr}, ${pyString(part)})`), 'self');
}

/**
 * Generates the PyTorch module for a convzoo model. The module takes NCHW float32 input and
 * returns the inference output (a tuple for several); in training mode a graph with training
 * heads (GoogLeNet's auxiliary classifiers) returns `(output, *trainingOutputs)` in the graph's
 * order (torchvision: `GoogLeNetOutputs(logits, aux2, aux1)`). Its state dict holds exactly the
 * tensors `torchStateDict` (@convzoo/weights) writes. A family's `torchModule` hook shapes the
 * module first (GoogLeNet always has transform_input, as torchvision's pretrained one does).
 *
 * ```ts
 * const { source } = torchModule(lenet5());
 * writeFileSync('model.py', source);
 * ```
 */
export function torchModule(plain: Model, options: TorchModuleOptions = {}): TorchModuleSource {
  const names = options.torchvision ?? registry.list().find((e) => e.name === plain.name)?.torchvision;
  // The family's module shape (GoogLeNet: always with transform_input, the identity if the model has none).
  const model = names?.torchModule?.(plain) ?? plain;
  const modules = new Map([...torchModules(model, names)].map(([node, m]) => [node, m.path]));
  const name = options.className ?? className(model.name);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ConvzooError('ARGUMENT_INVALID', `class name "${name}" is not a Python identifier`);

  const variables = new Map<string, string>();
  const used = new Set(RESERVED);
  for (const n of model.nodes) {
    let v = pythonIdentifier(n.name);
    while (used.has(v)) v = `${v}_`;
    used.add(v);
    variables.set(n.name, v);
  }

  const init: string[] = [];
  const inference: string[] = [];
  const training: string[] = [];
  let masked = false;
  let subsampling = false;
  for (const n of model.nodes) {
    if (n.op === 'Input') continue;
    const emitted = (EMITTERS[n.op] as Emitter<OpName>)(n as NodeOf<OpName>, {
      inputShapes: n.inputs.map((i) => model.shapeOf(i)),
      outputShape: model.shapeOf(n.name),
    });
    let access = '';
    if (emitted.module !== undefined) {
      const path = modules.get(n.name);
      if (path === undefined) throw new ConvzooError('UNSUPPORTED', `node "${n.name}": a ${n.op} with a module but no parameters`);
      init.push(`        self._add(${pyString(path)}, ${emitted.module})`);
      access = accessor(path);
      masked ||= n.op === 'Conv2D' && n.attrs.connectionMask !== undefined;
      subsampling ||= n.op === 'Subsampling';
    }
    const line = `${variables.get(n.name)} = ${emitted.forward(n.inputs.map((i) => variables.get(i)!), access)}`;
    (model.isInferenceNode(n.name) ? inference : training).push(line);
  }

  const inputs = model.graph.inputs.map((i) => variables.get(i)!);
  const result = (names: readonly string[]) => (names.length === 1 ? variables.get(names[0]!)! : `(${names.map((o) => variables.get(o)!).join(', ')})`);
  const trainingOutputs = model.graph.trainingOutputs ?? [];
  const forward = [...inference.map((l) => `        ${l}`)];
  if (trainingOutputs.length > 0) {
    forward.push('        if self.training:');
    forward.push(...training.map((l) => `            ${l}`));
    forward.push(`            return (${[...model.graph.outputs, ...trainingOutputs].map((o) => variables.get(o)!).join(', ')})`);
  }
  forward.push(`        return ${result(model.graph.outputs)}`);

  const [h, w, c] = model.inputShape;
  const source = [
    `# ${name}: PyTorch module generated by convzoo from the graph "${model.name}"; regenerate it`,
    `# (\`convzoo export <arch|model-dir> --format torch\`) rather than edit it. Input NCHW float32 [N, ${c}, ${h}, ${w}].`,
    'import json',
    '',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    `INPUT_SHAPE = (${c}, ${h}, ${w})`,
    `OUTPUTS = (${model.graph.outputs.map(pyString).join(', ')},)`,
    `TRAINING_OUTPUTS = (${trainingOutputs.map(pyString).join(', ')}${trainingOutputs.length === 1 ? ',' : ''})`,
    '',
    '',
    BASE,
    ...(masked ? ['', MASKED_CONV] : []),
    ...(subsampling ? ['', SUBSAMPLING] : []),
    '',
    `class ${name}(ConvzooModule):`,
    '    def __init__(self):',
    '        super().__init__()',
    ...init,
    '',
    `    def forward(self, ${inputs.join(', ')}):`,
    ...forward,
    '',
    '',
    'def build(weights=None):',
    `    """A ${name}; with \`weights\` (a .safetensors or torch.save file of its state dict) loaded strictly."""`,
    `    model = ${name}()`,
    '    if weights is not None:',
    '        state = load_safetensors(weights) if str(weights).endswith(".safetensors") else torch.load(weights, map_location="cpu")',
    '        model.load_state_dict(state)',
    '    return model',
    '',
  ].join('\n');
  return { source, className: name, modules };
}
