/**
 * `export --format torch`: DIR/model.py (the generated nn.Module), DIR/model.safetensors (its
 * state dict: torch names and layouts) and DIR/train_ddp.py (a torchrun example), as one folder
 * written atomically.
 */
import { join } from 'node:path';
import { encodeSafetensors, type Model } from '@convzoo/core';
import { writeDirAtomic, writeFileAtomic } from '@convzoo/core/node';
import { torchModule, trainDdpScript } from '@convzoo/torch';
import { torchStateDict } from '@convzoo/weights';

export const TORCH_FILES = ['model.py', 'model.safetensors', 'train_ddp.py'] as const;

/** The weights under PyTorch's names, as `--names torch` and `--format torch` write them. */
export function torchSafetensors(model: Model): Uint8Array {
  return encodeSafetensors(torchStateDict(model), { format: 'pt', convzoo_graph: model.name, convzoo_names: 'torch' });
}

/** Writes the three files into `dir` (replacing an earlier export there only once all are written). */
export function exportTorch(model: Model, dir: string): { className: string } {
  const { source, className } = torchModule(model);
  const weights = torchSafetensors(model);
  writeDirAtomic(dir, (staging) => {
    writeFileAtomic(join(staging, 'model.py'), source);
    writeFileAtomic(join(staging, 'model.safetensors'), weights);
    writeFileAtomic(join(staging, 'train_ddp.py'), trainDdpScript());
  }, { replace: true });
  return { className };
}
