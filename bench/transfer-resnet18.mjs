// Transfer with the CLI: ResNet-18 (torchvision variant, 32x32x3 input) trained on digits 0-4 from
// files, then fine-tuned with --freeze backbone on digits 5-9 with 20 images per class, against
// the same network trained from scratch on those 100 images; both evaluated with eval --data on
// a held-out 5-9 folder, and the frozen tensors compared byte for byte with the pretrained ones.
// Each at two learning rates (Adam, constant): the CLI's default 1e-3 and 1e-2. --reuse ROOT keeps
// the folders and the pretrained model of an earlier run in ROOT.
// Usage: node bench/transfer-resnet18.mjs [--pretrain-per-class N] [--pretrain-epochs E] [--epochs E] [--reuse ROOT]
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDigits } from './digit-files.mjs';

const { main } = await import(join(import.meta.dirname, '../packages/cli/dist/main.js'));
const { decodeSafetensors, encodeSafetensors } = await import(join(import.meta.dirname, '../packages/core/dist/index.js'));
const { values: opts } = parseArgs({
  options: { 'pretrain-per-class': { type: 'string', default: '300' }, 'pretrain-epochs': { type: 'string', default: '3' }, epochs: { type: 'string', default: '20' }, reuse: { type: 'string' } },
});

const root = opts.reuse ?? mkdtempSync(join(tmpdir(), 'convzoo-bench-transfer-'));
const pre = join(root, 'pretrained');
const reused = existsSync(join(pre, 'history.json'));
if (!reused) {
  await writeDigits(join(root, 'zero-four'), Number(opts['pretrain-per-class']), 0, [0, 1, 2, 3, 4]);
  // 20 per class to train on and 10 to validate on (DIR/train, DIR/val); 200 per class held out.
  await writeDigits(join(root, 'five-nine', 'train'), 20, 0, [5, 6, 7, 8, 9]);
  await writeDigits(join(root, 'five-nine', 'val'), 10, 20_000, [5, 6, 7, 8, 9]);
  await writeDigits(join(root, 'held-out'), 200, 40_000, [5, 6, 7, 8, 9]);
}

const io = { out: (t) => (io.stdout += `${t}\n`), err: (t) => (t.startsWith('epoch') ? undefined : console.error(t)), stdout: '' };
const model = ['resnet18', '--variant', 'torchvision', '--input-shape', '32,32,3'];
async function cli(...argv) {
  io.stdout = '';
  const t0 = performance.now();
  const code = await main(argv, io);
  if (code) throw new Error(`convzoo ${argv.join(' ')}: exit ${code}`);
  return (performance.now() - t0) / 1000;
}
const held = async (dir) => {
  await cli('eval', dir, '--data', join(root, 'held-out'), '--json');
  return JSON.parse(io.stdout).accuracy;
};
const tensors = (file) => decodeSafetensors(readFileSync(file)).tensors;
const bytes = (t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

const preSeconds = reused ? undefined : await cli('train', ...model, '--data', join(root, 'zero-four'), '--epochs', opts['pretrain-epochs'], '--out', pre);
// The pretrained backbone without its 0-4 head: the 5-9 head starts seeded, as a new head would.
const backbone = new Map([...tensors(join(pre, 'weights.safetensors'))].filter(([k]) => !k.startsWith('fc/')));
writeFileSync(join(root, 'backbone.safetensors'), encodeSafetensors(backbone));

const epochs = ['--epochs', opts.epochs];
const data = ['--data', join(root, 'five-nine')];
const result = { pretrain: { last: JSON.parse(readFileSync(join(pre, 'history.json'), 'utf8')).history.at(-1), seconds: preSeconds }, runs: [] };
for (const lr of ['1e-3', '1e-2']) {
  const ft = join(root, `fine-tuned-${lr}`);
  if (!existsSync(ft)) await cli('train', ...model, ...data, ...epochs, '--lr', lr, '--weights', join(root, 'backbone.safetensors'), '--freeze', 'backbone', '--out', ft);
  const scratch = join(root, `scratch-${lr}`);
  if (!existsSync(scratch)) await cli('train', ...model, ...data, ...epochs, '--lr', lr, '--out', scratch);
  const after = tensors(join(ft, 'weights.safetensors'));
  const changed = [...backbone].filter(([k, t]) => !bytes(after.get(k)).equals(bytes(t))).map(([k]) => k);
  const run = { lr, fineTuned: await held(ft), scratch: await held(scratch), frozenTensors: backbone.size, frozenChanged: changed };
  console.log(`RUN ${JSON.stringify(run)}`);
  result.runs.push(run);
}
console.log(`RESULT ${JSON.stringify(result)}`);
