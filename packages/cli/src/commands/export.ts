import { encodeSafetensors, graphToJson } from '@convzoo/core';
import { checkOutputPath, writeFileAtomic } from '@convzoo/core/node';
import type { Command } from '../command.js';
import { choice, int, onlyWith, required } from '../args.js';
import { MODEL_OPTIONS, resolveModel } from '../models.js';
import { PRECISION_HELP, PRECISION_OPTIONS, precisionExport, precisionFlags } from '../precision.js';

const FORMATS = ['onnx', 'safetensors', 'graph', 'triton', 'torch'] as const;

export const exportCommand: Command = {
  name: 'export',
  description: 'write a model as ONNX, safetensors weights, graph JSON, a Triton model repository or a PyTorch module',
  usage: `convzoo export <arch|model-dir> --format ${FORMATS.join('|')} --out PATH [--variant V] [--seed S] [--input-shape H,W,C] [--classes N] [--no-aux] [--weights FILE]

  --format onnx          standard ONNX (opset 17, IR 8), NCHW input, dynamic batch, BatchNorm folded
      --layout nhwc      keep convzoo's NHWC input layout instead
      --keep-bn          keep BatchNormalization nodes instead of folding them into the convolutions
${PRECISION_HELP.replace(/^ {2}/gm, '      ')}
  --format safetensors   the weights (<node>/<param>, float32) in Hugging Face safetensors
      --names torch      PyTorch's names and layouts instead (torchvision's where it has the model,
                         else those of the --format torch module), as a state dict
  --format graph         the layer graph as convzoo.graph JSON (version 1)
  --format triton        a Triton model repository: PATH/<name>/config.pbtxt + PATH/<name>/1/model.onnx
      --max-batch N      max_batch_size, 1 to 2,147,483,647 (default 8)
      --gpu              instance_group KIND_GPU with the TensorRT accelerator (default KIND_CPU)
  --format torch         a folder: PATH/model.py (generated nn.Module, NCHW), PATH/model.safetensors
                         (its state dict) and PATH/train_ddp.py (torchrun --nproc_per_node=N example);
                         weights it saves load back with --weights
  --out PATH             output file (folder for triton and torch), written atomically: nothing half-written on error
                         or Ctrl-C; an existing PATH must be a regular file (a folder for triton), never
                         a device, FIFO, socket or symbolic link
  --seed S               seed of the deterministic initialization, 0 to 4294967295 (default 0)

--layout and --keep-bn apply to onnx and triton, --precision to onnx, --max-batch and --gpu to triton only, --names to safetensors.`,
  options: {
    ...MODEL_OPTIONS, format: { type: 'string' }, out: { type: 'string' }, layout: { type: 'string' },
    'keep-bn': { type: 'boolean' }, 'max-batch': { type: 'string' }, gpu: { type: 'boolean' }, names: { type: 'string' },
    ...PRECISION_OPTIONS,
  },
  positionals: 1,
  async run({ positionals, values }, io) {
    const format = required(choice(values.format, '--format', FORMATS), '--format');
    const out = required(values.out as string | undefined, '--out PATH');
    onlyWith(values, ['layout', 'keep-bn'], format === 'onnx' || format === 'triton', 'to --format onnx and triton');
    onlyWith(values, ['max-batch', 'gpu'], format === 'triton', 'to --format triton');
    onlyWith(values, ['names'], format === 'safetensors', 'to --format safetensors');
    onlyWith(values, Object.keys(PRECISION_OPTIONS), format === 'onnx', 'to --format onnx');
    const precision = precisionFlags(values);
    const names = choice(values.names, '--names', ['convzoo', 'torch'] as const) ?? 'convzoo';
    const inputLayout = choice(values.layout, '--layout', ['nchw', 'nhwc'] as const) ?? 'nchw';
    const maxBatch = int(values['max-batch'], '--max-batch', 1, 2 ** 31 - 1);
    // Before the model is built: a bad target is refused at once, not after seconds of work.
    checkOutputPath(out, format === 'triton' || format === 'torch' ? 'directory' : 'file');
    const model = resolveModel(positionals[0]!, values, io.err);
    const onnxOptions = { inputLayout, foldBatchNorm: !values['keep-bn'] };
    if (format === 'onnx') {
      const { exportOnnxFile } = await import('@convzoo/onnx/node');
      const files = exportOnnxFile(model, out, { ...onnxOptions, ...(await precisionExport(positionals[0]!, model, values, precision, onnxOptions.foldBatchNorm, io)) });
      io.err(`wrote ${files.model}${files.data ? ` + ${files.data} (external data)` : ''} (ONNX opset 17, ${inputLayout.toUpperCase()} input, ${precision.precision})`);
      return;
    }
    if (format === 'triton') {
      const { exportTriton } = await import('../triton.js');
      const { dir } = exportTriton(model, out, { ...onnxOptions, ...(maxBatch ? { maxBatch } : {}), gpu: values.gpu === true });
      io.err(`wrote Triton model ${dir} (config.pbtxt, 1/model.onnx)`);
      return;
    }
    if (format === 'torch') {
      const { exportTorch, TORCH_FILES } = await import('../torch-export.js');
      const { className } = exportTorch(model, out);
      io.err(`wrote ${out} (${TORCH_FILES.join(', ')}; class ${className}, NCHW input)`);
      return;
    }
    const bytes = format === 'graph' ? graphToJson(model.graph)
      : names === 'torch' ? (await import('../torch-export.js')).torchSafetensors(model) : encodeSafetensors(model.weights, { format: 'pt', convzoo_graph: model.name });
    writeFileAtomic(out, bytes);
    io.err(`wrote ${out} (${format}, ${typeof bytes === 'string' ? bytes.length : bytes.byteLength} bytes)`);
  },
};
