import { basename } from 'node:path';
import { checkOutputPath, saveModelDir, writeDirAtomic } from '@convzoo/core/node';
import type { Command } from '../command.js';
import { required } from '../args.js';
import { UsageError } from '../errors.js';

export const importCommand: Command = {
  name: 'import',
  description: 'turn an ONNX file (torchvision or convzoo export) into a convzoo model directory',
  usage: `convzoo import <model.onnx> --out DIR

Writes DIR/graph.json + DIR/weights.safetensors. DIR must not exist yet; on any error no DIR
is left behind. Supported: the ONNX ops of the five families as torch.onnx.export and
convzoo emit them (see @convzoo/onnx); anything else is an error naming the op and node.`,
  options: { out: { type: 'string' } },
  positionals: 1,
  async run({ positionals, values }, io) {
    const out = required(values.out as string | undefined, '--out DIR');
    if (checkOutputPath(out, 'directory')) throw new UsageError(`--out ${out} already exists; choose a new directory`);
    const { importOnnxFile } = await import('@convzoo/onnx/node');
    const model = importOnnxFile(positionals[0]!, { onWarning: (m) => io.err(`warning: ${m}`) });
    // DIR appears complete or not at all, on errors and signals alike.
    writeDirAtomic(out, (staging) => saveModelDir(model, staging, { convzoo_source: basename(positionals[0]!) }));
    const s = model.summary();
    io.err(`imported ${positionals[0]!} -> ${out} (${model.nodes.length} nodes, ${s.params.total.toLocaleString('en-US')} params)`);
  },
};
