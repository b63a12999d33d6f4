// Transfer with the CLI: ResNet-18 (torchvision variant, --input 32 or 64: HxWx3) trained on digits
// 0-4 from files, then fine-tuned with --freeze backbone on digits 5-9 with 20 images per class,
// against the same network trained from scratch on those 100 images; both evaluated with eval
// --data on a held-out 5-9 folder, and the frozen tensors compared byte for byte with the
// pretrained ones. Fine-tuned and scratch run the same grid: every --lrs rate (Adam, constant)
// times every --epochs count. --pretrain-augment passes --augment to the pretraining only.
// --reuse ROOT keeps the folders, the pretrained models and the finished runs of earlier runs in
// ROOT (each named by its settings).
// Usage: node bench/transfer-resnet18.mjs [--input 32|64] [--lrs 1e-3,1e-2] [--epochs 20,60]
//   [--pretrain-per-class N] [--pretrain-epochs E] [--pretrain-augment crop,jitter] [--reuse ROOT]
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDigits } from './digit-files.mjs';

const { main } = await import(join(import.meta.dirname, '../packages/cli/dist/main.js'));
const { decodeSafetensors, encodeSafetensors } = await import(join(import.meta.dirname, '../packages/core/dist/index.js'));
const { values: opts } = parseArgs({
  options: {
    input: { type: 'string', default: '32' }, lrs: { type: 'string', default: '1e-3,1e-2' }, epochs: { type: 'string', default: '20' },
    'pretrain-per-class': { type: 'string', default: '300' }, 'pretrain-epochs': { type: 'string', default: '3' },
    'pretrain-augment': { type: 'string' }, reuse: { type: 'string' },
  },
});

const root = opts.reuse ?? mkdtempSync(join(tmpdir(), 'convzoo-bench-transfer-'));
const perClass = opts['pretrain-per-class'];
const zeroFour = join(root, `zero-four-${perClass}`);
if (!existsSync(zeroFour)) await writeDigits(zeroFour, Number(perClass), 0, [0, 1, 2, 3, 4]);
if (!existsSync(join(root, 'held-out'))) {
  // 20 per class to train on and 10 to validate on (DIR/train, DIR/val); 200 per class held out.
  await writeDigits(join(root, 'five-nine', 'train'), 20, 0, [5, 6, 7, 8, 9]);
  await writeDigits(join(root, 'five-nine', 'val'), 10, 20_000, [5, 6, 7, 8, 9]);
  await writeDigits(join(root, 'held-out'), 200, 40_000, [5, 6, 7, 8, 9]);
}

const io = { out: (t) => (io.stdout += `${t}\n`), err: (t) => (t.startsWith('epoch') ? undefined : console.error(t)), stdout: '' };
const model = ['resnet18', '--variant', 'torchvision', '--input-shape', `${opts.input},${opts.input},3`];
async function cli(...argv) {
  io.stdout = '';
  const t0 = performance.now();
  const code = await main(argv, io);
  if (code) throw new Error(`convzoo ${argv.join(' ')}: exit ${code}`);
  return (performance.now() - t0) / 1000;
}
/** Trains into dir unless an earlier run finished it there; the seconds it took, if it ran now. */
const train = async (dir, ...argv) => (existsSync(join(dir, 'history.json')) ? undefined : cli('train', ...model, ...argv, '--out', dir));
const held = async (dir) => {
  await cli('eval', dir, '--data', join(root, 'held-out'), '--json');
  return JSON.parse(io.stdout).accuracy;
};
const tensors = (file) => decodeSafetensors(readFileSync(file)).tensors;
const bytes = (t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

const augment = opts['pretrain-augment'];
const preName = `pretrained-${opts.input}-${perClass}x${opts['pretrain-epochs']}${augment ? `-${augment}` : ''}`;
const pre = join(root, preName);
const preSeconds = await train(pre, '--data', zeroFour, '--epochs', opts['pretrain-epochs'], ...(augment ? ['--augment', augment] : []));
// The pretrained backbone without its 0-4 head: the 5-9 head starts seeded, as a new head would.
const backbone = new Map([...tensors(join(pre, 'weights.safetensors'))].filter(([k]) => !k.startsWith('fc/')));
const backboneFile = join(root, `${preName}-backbone.safetensors`);
writeFileSync(backboneFile, encodeSafetensors(backbone));

const data = ['--data', join(root, 'five-nine')];
const result = { pretrain: { name: preName, last: JSON.parse(readFileSync(join(pre, 'history.json'), 'utf8')).history.at(-1), seconds: preSeconds }, runs: [] };
for (const epochs of opts.epochs.split(',')) {
  for (const lr of opts.lrs.split(',')) {
    const settings = ['--epochs', epochs, '--lr', lr];
    const ft = join(root, `${preName}-fine-tuned-${lr}x${epochs}`);
    const ftSeconds = await train(ft, ...data, ...settings, '--weights', backboneFile, '--freeze', 'backbone');
    // Scratch runs do not depend on the pretraining: one per input size and setting.
    const scratch = join(root, `scratch-${opts.input}-${lr}x${epochs}`);
    const scratchSeconds = await train(scratch, ...data, ...settings);
    const after = tensors(join(ft, 'weights.safetensors'));
    const changed = [...backbone].filter(([k, t]) => !bytes(after.get(k)).equals(bytes(t))).map(([k]) => k);
    const run = { lr, epochs: Number(epochs), fineTuned: await held(ft), scratch: await held(scratch), frozenTensors: backbone.size, frozenChanged: changed, ftSeconds, scratchSeconds };
    console.log(`RUN ${JSON.stringify(run)}`);
    result.runs.push(run);
  }
}
console.log(`RESULT ${JSON.stringify(result)}`);
