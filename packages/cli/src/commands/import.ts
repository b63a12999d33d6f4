import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { saveModelDir } from '@convzoo/core/node';
import type { Command } from '../command.js';
import { required } from '../args.js';
import { UsageError } from '../errors.js';

export const importCommand: Command = {
  name: 'import',
  description: 'turn an ONNX file (torchvision or convzoo export) into a convzoo model directory',
  usage: `convzoo import <model.onnx> --out DIR

Writes DIR/graph.json + DIR/weights.safetensors. DIR must not exist yet; on any error no DIR
is left behind. Supported: the ONNX ops of the five families as torch.onnx.export and
convzoo emit them (see @convzoo/backend-ort); anything else is an error naming the op and node.`,
  options: { out: { type: 'string' } },
  positionals: 1,
  async run({ positionals, values }, io) {
    const out = required(values.out as string | undefined, '--out DIR', 'import');
    if (existsSync(out)) throw new UsageError(`--out ${out} already exists; choose a new directory`);
    const { importOnnxFile } = await import('@convzoo/backend-ort');
    const model = importOnnxFile(positionals[0]!);
    // Built beside DIR and renamed into place: DIR appears complete or not at all.
    const staging = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
    try {
      saveModelDir(model, staging, { convzoo_source: basename(positionals[0]!) });
      renameSync(staging, out);
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    const s = model.summary();
    io.err(`imported ${positionals[0]!} -> ${out} (${model.nodes.length} nodes, ${s.params.total.toLocaleString('en-US')} params)`);
  },
};
