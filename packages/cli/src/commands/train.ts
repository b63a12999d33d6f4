import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ConvzooError, create, decodeSafetensors, encodeSafetensors, frozenLayers, MNIST, sizeOf, type Model, type TensorMap, type TrainingData,
} from '@convzoo/core';
import { GRAPH_FILE, WEIGHTS_FILE, loadModelDir, prepareOutputDir, readFileChecked, saveModelDir, writeFileAtomic } from '@convzoo/core/node';
import type { FitOptions, OptimizerSpec } from '@convzoo/core';
import { DATASETS, FASHION_MNIST_STATS, MNIST_STATS, imageFolder, imageFolderClasses, trainValidationSplit, type Augmentation } from '@convzoo/datasets';
import type { Command } from '../command.js';
import { MAX_BATCH, MAX_EPOCHS, MAX_SEED, choice, int, required } from '../args.js';
import { AUTO_HELP, BACKEND_NAMES, backendFlag, createTrainer, type BackendName } from '../backends.js';
import { historySvg, type HistoryPoint } from '../chart.js';
import { UsageError } from '../errors.js';
import { stopOnInterrupt } from '../interrupts.js';
import { prepare } from '../data.js';
import { MODEL_OPTIONS, checkBatch, modelOptions, withWeightsFile } from '../models.js';
import { EpochProgress } from '../progress.js';

const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export const HISTORY_FILE = 'history.json';
const DATASET_STATS = { mnist: MNIST_STATS, 'fashion-mnist': FASHION_MNIST_STATS } as const;
const OPTIMIZER_FILE = 'optimizer.safetensors';
const CHECKPOINTS = 'checkpoints';
/** Everything train writes into DIR: what a run that never finished an epoch removes again. */
const OUTPUTS = [GRAPH_FILE, WEIGHTS_FILE, OPTIMIZER_FILE, CHECKPOINTS, 'history.svg', HISTORY_FILE];
/** Optimizer state per weight: Adam keeps two moments, SGD (momentum) and RMSprop one. */
const OPTIMIZER_SLOTS = { adam: 2, sgd: 1, rmsprop: 1 } as const;

/** --augment's parts: torchvision's usual settings. */
const AUGMENTATIONS: Record<string, Augmentation> = {
  crop: { crop: { scale: [0.5, 1] } },
  flip: { flip: true },
  jitter: { jitter: { brightness: 0.4, contrast: 0.4, saturation: 0.4 } },
};

/** Everything that defines a run; saved in history.json so --resume continues the same run. */
export interface TrainConfig {
  readonly arch: string;
  readonly variant: string | undefined;
  /** One of these two: a built-in data set, or a folder of class folders (absolute). */
  readonly dataset: (typeof DATASETS)[number] | undefined;
  readonly data?: string;
  readonly valSplit?: number;
  readonly skipBad?: boolean;
  readonly augment?: readonly string[];
  readonly freeze?: 'backbone' | number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: (typeof OPTIMIZERS)[number];
  readonly learningRate: number;
  readonly schedule: 'constant' | 'cosine';
  readonly backend: BackendName;
  readonly seed: number;
  readonly limit: number | undefined;
}

interface HistoryFile {
  readonly config: TrainConfig;
  readonly completedEpochs: number;
  readonly history: (HistoryPoint & { samplesPerSecond: number; seconds: number })[];
}

/**
 * Defaults per architecture: LeNet-5 on MNIST is the run users try first (the paper's network,
 * Adam with a cosine decay, batch 64); the others get Keras-like defaults.
 */
const DEFAULTS: Record<string, Partial<TrainConfig>> = {
  lenet5: { epochs: 8, batchSize: 64, optimizer: 'adam', learningRate: 2e-3, schedule: 'cosine' },
};
/**
 * Without --epochs, LeNet-5 takes as many epochs as make at least this many steps: 8 epochs of
 * 4,583 images (500 digits per class, less the validation split) are 576 steps, and the cosine
 * schedule reaches a rate near 0 before the network has converged (bench/IMAGE-FOLDER.md).
 * At most MAX_DEFAULT_EPOCHS: a folder of a few images is not worth hundreds of checkpoints.
 */
const MIN_DEFAULT_STEPS: Record<string, number> = { lenet5: 1000 };
const MAX_DEFAULT_EPOCHS = 32;

/** The default epochs for `n` training images: the architecture's, or more to reach its minimum number of steps. */
export function defaultEpochs(config: Pick<TrainConfig, 'arch' | 'epochs' | 'batchSize'>, n: number): number {
  const steps = MIN_DEFAULT_STEPS[config.arch];
  if (steps === undefined) return config.epochs;
  return Math.max(config.epochs, Math.min(MAX_DEFAULT_EPOCHS, Math.ceil(steps / Math.ceil(n / config.batchSize))));
}
const FALLBACK = { epochs: 2, batchSize: 32, optimizer: 'adam', learningRate: 1e-3, schedule: 'constant' } as const;

function readHistory(dir: string): HistoryFile {
  const path = join(dir, HISTORY_FILE);
  try {
    return JSON.parse(new TextDecoder().decode(readFileChecked(path))) as HistoryFile;
  } catch (e) {
    throw new ConvzooError('FILE_INVALID', `${path}: cannot resume (${(e as Error).message}); train without --resume to start over`);
  }
}

function configFrom(values: Record<string, string | boolean | undefined>, arch: string): TrainConfig {
  const d = { ...FALLBACK, ...DEFAULTS[arch] };
  const lr = values.lr === undefined ? d.learningRate : Number(values.lr);
  if (!(Number.isFinite(lr) && lr > 0)) throw new UsageError(`--lr must be a positive number, got "${String(values.lr)}"`);
  const dataset = choice(values.dataset, '--dataset', DATASETS);
  if ((dataset === undefined) === (values.data === undefined)) throw new UsageError('needs one of --dataset mnist|fashion-mnist and --data DIR');
  const split = values['val-split'] === undefined ? undefined : Number(values['val-split']);
  if (split !== undefined && !(split > 0 && split < 1)) throw new UsageError(`--val-split must be a number in (0, 1), got "${String(values['val-split'])}"`);
  const augment = typeof values.augment === 'string' ? values.augment.split(',') : undefined;
  const unknown = augment?.find((a) => !(a in AUGMENTATIONS));
  if (unknown !== undefined) throw new UsageError(`--augment takes ${Object.keys(AUGMENTATIONS).join(',')} (comma-separated), got "${unknown}"`);
  const freeze = values.freeze === undefined ? undefined : values.freeze === 'backbone' ? 'backbone' : int(values.freeze, '--freeze', 0, 1e6);
  if (dataset !== undefined) {
    for (const flag of ['val-split', 'skip-bad', 'augment']) if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to --data DIR`);
  }
  return {
    arch,
    variant: typeof values.variant === 'string' ? values.variant : undefined,
    dataset,
    ...(typeof values.data === 'string' ? { data: resolve(values.data) } : {}),
    ...(split !== undefined ? { valSplit: split } : {}),
    ...(values['skip-bad'] ? { skipBad: true } : {}),
    ...(augment !== undefined ? { augment } : {}),
    ...(freeze !== undefined ? { freeze } : {}),
    epochs: int(values.epochs, '--epochs', 1, MAX_EPOCHS) ?? d.epochs,
    batchSize: int(values.batch, '--batch', 1, MAX_BATCH) ?? d.batchSize,
    optimizer: choice(values.optimizer, '--optimizer', OPTIMIZERS) ?? d.optimizer,
    learningRate: lr,
    schedule: choice(values.schedule, '--schedule', ['constant', 'cosine'] as const) ?? d.schedule,
    backend: backendFlag(values.backend),
    seed: int(values.seed, '--seed', 0, MAX_SEED) ?? 0,
    limit: int(values.limit, '--limit', 1, 1e9),
  };
}

export function fitOptions(config: TrainConfig): FitOptions & { optimizer: OptimizerSpec } {
  return {
    optimizer: config.optimizer === 'sgd' ? { name: 'sgd', momentum: 0.9 } : config.optimizer,
    learningRate: config.schedule === 'cosine' ? { schedule: 'cosine', initial: config.learningRate } : config.learningRate,
    epochs: config.epochs,
    batchSize: config.batchSize,
    seed: config.seed,
  };
}

/** The flags --resume takes; every other one is what the run was started with, recorded in history.json. */
const RESUME_FLAGS = ['out', 'resume', 'epochs'];

/** The images a run trains and validates on, in memory (a built-in data set) or decoded from files batch by batch. */
interface RunData {
  readonly train: TrainingData;
  readonly validation: TrainingData;
  readonly trainCount: number;
  readonly valCount: number;
  readonly classes: readonly string[];
  /** What predict must do to a photo for this model. */
  readonly trained: Model;
  readonly meta: Record<string, string>;
}

async function loadData(config: TrainConfig, model: Model, io: { err(line: string): void }): Promise<RunData> {
  if (config.dataset !== undefined) {
    const all = prepare(config.dataset, model, 'train', config.limit);
    const { train, validation } = trainValidationSplit(all, 1 / 12, config.seed);
    const stats = DATASET_STATS[config.dataset];
    const pad = (model.inputShape[0]! - 28) / 2;
    return {
      train: { x: train.images, y: train.labels }, validation: { x: validation.images, y: validation.labels },
      trainCount: train.labels.length, valCount: validation.labels.length, classes: all.classes,
      // The data set's own statistics and padding.
      trained: model.withPreprocessing({ ...MNIST, pad, mean: [stats.mean], std: [stats.std] }),
      meta: { convzoo_dataset: config.dataset, convzoo_input_mean: String(stats.mean), convzoo_input_std: String(stats.std), convzoo_input_pad: String(pad) },
    };
  }
  const preprocessing = model.preprocessing;
  if (preprocessing === undefined) throw new ConvzooError('ARGUMENT_INVALID', `${model.name} records no preprocessing to read image files with`);
  const augment = Object.assign({}, ...(config.augment ?? []).map((a) => AUGMENTATIONS[a]!)) as Augmentation;
  // Without DIR/val, 1/12 is held out (as for the built-in data sets) unless --val-split says otherwise.
  const valSplit = existsSync(join(config.data!, 'val')) ? config.valSplit : config.valSplit ?? 1 / 12;
  const folder = await imageFolder(config.data!, {
    preprocessing, seed: config.seed, augment, ...(valSplit !== undefined ? { valSplit } : {}), ...(config.skipBad ? { skipBad: true } : {}),
  });
  const { train, val } = folder;
  if (val === undefined) throw new UsageError(`${config.data}: nothing to validate on (an empty val/ folder or a split of under one image)`);
  if (folder.skipped.length > 0) io.err(`skipped ${folder.skipped.length} unreadable file(s) (--skip-bad)`);
  return {
    train, validation: val, trainCount: train.size, valCount: val.size, classes: folder.classes, trained: model,
    meta: { convzoo_data: config.data! },
  };
}

export const trainCommand: Command = {
  name: 'train',
  description: 'train an architecture on MNIST, Fashion-MNIST or a folder of images, with per-epoch checkpoints',
  usage: `convzoo train <arch> (--dataset ${DATASETS.join('|')} | --data DIR) --out DIR [--epochs N] [--batch B] [--lr X]
              [--optimizer ${OPTIMIZERS.join('|')}] [--schedule constant|cosine] [--backend ${BACKEND_NAMES.join('|')}]
              [--variant V] [--seed S] [--limit N] [--input-shape H,W,C] [--classes N] [--no-aux]
              [--freeze backbone|N] [--augment crop,flip,jitter] [--val-split F] [--skip-bad] [--weights FILE] [--resume]

Trains with softmax cross-entropy, holding out 1/12 of the training images (5,000 of MNIST's
60,000) for validation. --data DIR reads DIR/train/<class>/* and DIR/val/<class>/* (or
DIR/<class>/*, split by --val-split, default 1/12), JPEG, PNG or WebP, classes named by the
folders in sorted order; the head is sized from them and their names are stored in the model
(predict and eval use them); images go through the architecture's preprocessing to its input
(--input-shape), decoded batch by batch. Unreadable files are listed before training, or left
out with --skip-bad. --augment: random resized crop (scale 0.5..1), horizontal flip, colour
jitter (0.4), seeded. --freeze backbone keeps every layer but the classifier as it is (BatchNorm
too), --freeze N the first N layers with weights; use it with --weights FILE.
Every epoch writes a checkpoint atomically: DIR/graph.json and
DIR/weights.safetensors (always the latest, so DIR is a model directory for every command),
DIR/optimizer.safetensors, DIR/checkpoints/epoch-N.safetensors, DIR/history.json and the
loss/accuracy chart DIR/history.svg. Ctrl-C stops after the current batch; DIR keeps the last
finished epoch and --resume continues from it exactly (same weights as an uninterrupted run):
it takes only --epochs, and only with --schedule constant (a longer cosine run is another run).
--backend defaults to ${AUTO_HELP}. ONNX Runtime trains through generated training-step graphs
(LeNet-5 on MNIST: about a minute instead of 7.5 on tfjs-wasm); ort-cuda needs ONNX Runtime's
CUDA provider and is refused with the reason where it is missing, never run on the CPU instead.
Defaults: lenet5 ${JSON.stringify(DEFAULTS.lenet5)}, with more epochs (up to ${MAX_DEFAULT_EPOCHS})
where 8 make under ${MIN_DEFAULT_STEPS.lenet5} steps (a small folder); others ${JSON.stringify(FALLBACK)}.`,
  options: {
    ...MODEL_OPTIONS,
    dataset: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' },
    lr: { type: 'string' }, optimizer: { type: 'string' }, schedule: { type: 'string' }, backend: { type: 'string' },
    limit: { type: 'string' }, resume: { type: 'boolean' }, freeze: { type: 'string' }, augment: { type: 'string' },
    'val-split': { type: 'string' }, 'skip-bad': { type: 'boolean' },
  },
  positionals: 1,
  async run({ positionals, values }, io) {
    const dir = required(values.out as string | undefined, '--out DIR');
    let config: TrainConfig;
    let model: Model;
    let history: HistoryFile['history'] = [];
    let optimizerState: TensorMap | undefined;
    if (values.resume) {
      const saved = readHistory(dir);
      const conflicting = Object.keys(values).filter((f) => values[f] !== undefined && !RESUME_FLAGS.includes(f));
      if (conflicting.length > 0) {
        throw new UsageError(`--resume continues ${dir} exactly as it was started (${saved.config.backend}, ${saved.config.data ?? saved.config.dataset}); drop --${conflicting.join(', --')}`);
      }
      const epochs = int(values.epochs, '--epochs', 1, MAX_EPOCHS);
      if (epochs !== undefined && epochs !== saved.config.epochs && saved.config.schedule === 'cosine') {
        // The cosine horizon is the run's length: stretching it would change the rates of epochs already run.
        throw new UsageError(`--epochs ${epochs}: ${dir} is a ${saved.config.epochs}-epoch cosine schedule; --resume finishes it as started (train a new run for more epochs)`);
      }
      config = { ...saved.config, ...(epochs !== undefined ? { epochs } : {}) };
      if (positionals[0] !== config.arch) throw new UsageError(`${dir} holds a ${config.arch} run, not ${positionals[0]!}`);
      model = loadModelDir(dir);
      const epochOfWeights = Number(decodeSafetensors(readFileChecked(join(dir, WEIGHTS_FILE))).metadata.convzoo_epoch);
      if (epochOfWeights !== saved.completedEpochs) {
        throw new ConvzooError('FILE_INVALID', `${dir}: weights are from epoch ${epochOfWeights} but history.json says ${saved.completedEpochs}; the checkpoint is inconsistent`);
      }
      optimizerState = decodeSafetensors(readFileChecked(join(dir, OPTIMIZER_FILE)), join(dir, OPTIMIZER_FILE)).tensors;
      // Runs saved before epochs were numbered from 1 in history.json.
      history = saved.history[0]?.epoch === 0 ? saved.history.map((h) => ({ ...h, epoch: h.epoch + 1 })) : saved.history;
      if (saved.completedEpochs >= config.epochs) {
        io.err(`${dir} already finished ${saved.completedEpochs} of ${config.epochs} epochs` +
          (config.schedule === 'constant' ? '; pass --epochs to train longer' : ''));
        return;
      }
    } else {
      config = configFrom(values, positionals[0]!);
      if (existsSync(join(dir, GRAPH_FILE)) || existsSync(join(dir, HISTORY_FILE))) {
        throw new UsageError(`${dir} already holds a model; use --resume to continue it or choose another --out`);
      }
      const options = modelOptions(config.arch, values);
      let numClasses = 10;
      // The head is sized from the class folders (the files are checked when the data loads).
      if (config.data !== undefined) numClasses = imageFolderClasses(config.data).length;
      if (options.numClasses !== undefined && options.numClasses !== numClasses) {
        throw new UsageError(`--classes ${options.numClasses}: ${config.data ?? config.dataset} has ${numClasses} classes`);
      }
      model = create(config.arch, { ...(config.dataset !== undefined ? { inputShape: [32, 32, 1] } : {}), ...options, numClasses, seed: config.seed });
      // Initialised from the file where its tensors fit; the new head (and whatever else differs) stays seeded.
      model = withWeightsFile(model, values, (line) => io.err(line));
    }
    const freeze = config.freeze === undefined ? [] : frozenLayers(model, config.freeze);

    checkBatch(model, config.batchSize);
    // Every file is checked here, before DIR is touched; the default epochs depend on how many there are.
    const data = await loadData(config, model, io);
    if (!values.resume && values.epochs === undefined) config = { ...config, epochs: defaultEpochs(config, data.trainCount) };
    // Before training starts: DIR must take every epoch's files (checkpoints accumulate).
    const bytesPerCopy = 4 * model.paramEntries().reduce((n, p) => n + sizeOf(p.shape), 0);
    const remaining = config.epochs - history.length;
    const created = prepareOutputDir(dir, bytesPerCopy * (1 + remaining + OPTIMIZER_SLOTS[config.optimizer]) + 2 ** 20);
    const fresh = history.length === 0;
    // A fresh run that ends before its first epoch is saved leaves nothing: DIR as it was.
    const undo = () => {
      if (!fresh || history.length > 0) return;
      if (created !== undefined) rmSync(created, { recursive: true, force: true });
      else for (const f of OUTPUTS) rmSync(join(dir, f), { recursive: true, force: true });
    };

    const controller = new AbortController();
    const release = stopOnInterrupt(() => controller.abort());
    let trainer: Awaited<ReturnType<typeof createTrainer>>['trainer'] | undefined;
    try {
      prepareOutputDir(join(dir, CHECKPOINTS));
      const made = await createTrainer(config.backend);
      // Saved as what ran, so --resume continues on the same backend wherever auto would lead.
      config = { ...config, backend: made.device };
      trainer = made.trainer;
      const source = config.data ?? config.dataset!;
      io.err(`training ${model.name} on ${source} (${data.trainCount} train / ${data.valCount} validation images, ${data.classes.length} classes) with ${made.device}, ` +
        `${config.optimizer} lr ${config.learningRate} (${config.schedule}), batch ${config.batchSize}, epochs ${history.length + 1}..${config.epochs}` +
        (freeze.length > 0 ? `, ${freeze.length} layers frozen` : ''));
      const tty = process.stderr.isTTY === true;
      let progress: EpochProgress | undefined;
      // Each epoch is timed from the end of the one before (or the start of fit), so its first batch counts.
      let epochStart = performance.now();
      const meta = (epoch: number) => ({ convzoo_epoch: String(epoch), ...data.meta, convzoo_classes: JSON.stringify(data.classes) });
      const n = data.trainCount;
      const result = await trainer.fit(model, data.train, {
        ...fitOptions(config),
        initialEpoch: history.length,
        ...(optimizerState ? { optimizerState } : {}),
        ...(freeze.length > 0 ? { freeze } : {}),
        validationData: data.validation,
        signal: controller.signal,
        callbacks: {
          onBatchEnd(batch, logs) {
            if (batch === 0) progress = new EpochProgress(history.length, config.epochs, n, (t) => process.stderr.write(t), tty, epochStart);
            progress!.batch(Math.min(config.batchSize, n - batch * config.batchSize), logs.loss, logs.accuracy);
          },
          async onEpochEnd(epoch, logs, checkpoint) {
            const seconds = (performance.now() - epochStart) / 1000;
            // Epochs are numbered from 1 everywhere: the console, history.json, the chart and the checkpoint names.
            const point = {
              epoch: epoch + 1, loss: logs.loss, accuracy: logs.accuracy, valLoss: logs.valLoss!, valAccuracy: logs.valAccuracy!,
              samplesPerSecond: n / seconds, seconds,
            };
            const state = await checkpoint.save();
            // Order matters: history.json names the checkpoint, so it is written last.
            writeFileAtomic(join(dir, OPTIMIZER_FILE), encodeSafetensors(state));
            writeFileAtomic(join(dir, CHECKPOINTS, `epoch-${epoch + 1}.safetensors`), encodeSafetensors(model.weights, meta(epoch + 1)));
            saveModelDir(data.trained, dir, meta(epoch + 1));
            writeFileAtomic(join(dir, 'history.svg'), historySvg(`${model.name} on ${source}`, [...history, point]));
            writeFileAtomic(join(dir, HISTORY_FILE), `${JSON.stringify({ config, completedEpochs: epoch + 1, history: [...history, point] } satisfies HistoryFile, null, 1)}\n`);
            history = [...history, point]; // only once the epoch is on disk: undo() goes by it
            progress?.end(`epoch ${epoch + 1}/${config.epochs}: loss ${logs.loss.toFixed(4)} acc ${(100 * logs.accuracy).toFixed(2)}% | ` +
              `val loss ${logs.valLoss!.toFixed(4)} val acc ${(100 * logs.valAccuracy!).toFixed(2)}% | ${point.samplesPerSecond.toFixed(0)} samples/s, ${seconds.toFixed(1)} s`);
            epochStart = performance.now();
          },
        },
      });
      if (result.stopped) {
        undo();
        io.err(fresh && history.length === 0
          ? 'stopped before the first epoch ended; nothing was saved'
          : `stopped: ${dir} holds epoch ${history.length} of ${config.epochs}; continue with convzoo train ${config.arch} --resume --out ${dir}`);
        return 130;
      }
    } catch (e) {
      undo();
      throw e;
    } finally {
      release();
      await trainer?.dispose();
    }
    io.err(`done: ${dir} (evaluate with convzoo eval ${dir} ${config.data !== undefined ? '--data DIR' : `--dataset ${config.dataset}`})`);
  },
};
