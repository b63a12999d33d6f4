/**
 * `export --format torch`: DIR/model.py (the generated nn.Module), DIR/model.safetensors (its
 * state dict: torch names and layouts) and DIR/train_ddp.py (a torchrun example), as one folder
 * written atomically.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError, encodeSafetensors, type Model } from '@convzoo/core';
import { writeDirAtomic, writeFileAtomic } from '@convzoo/core/node';
import { torchModule, trainDdpScript } from '@convzoo/torch';
import { torchStateDict } from '@convzoo/weights';

export const TORCH_FILES = ['model.py', 'model.safetensors', 'train_ddp.py'] as const;

/** The weights under PyTorch's names, as `--names torch` and `--format torch` write them. */
export function torchSafetensors(model: Model): Uint8Array {
  return encodeSafetensors(torchStateDict(model), { format: 'pt', convzoo_graph: model.name, convzoo_names: 'torch' });
}

/**
 * Writes the three files into `dir`. An earlier export there (a folder of just those files) is
 * replaced once all are written; any other existing folder is refused, never swapped out.
 */
export function exportTorch(model: Model, dir: string): { className: string } {
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const other = readdirSync(dir).find((f) => !(TORCH_FILES as readonly string[]).includes(f));
    if (other !== undefined) throw new FileFormatError(`holds ${other}: not a torch export folder; choose a new directory`, dir);
  }
  const { source, className } = torchModule(model);
  const weights = torchSafetensors(model);
  writeDirAtomic(dir, (staging) => {
    writeFileAtomic(join(staging, 'model.py'), source);
    writeFileAtomic(join(staging, 'model.safetensors'), weights);
    writeFileAtomic(join(staging, 'train_ddp.py'), trainDdpScript());
  }, { replace: true });
  return { className };
}
