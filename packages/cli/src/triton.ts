/**
 * A Triton Inference Server model repository for a convzoo model: REPO/<name>/config.pbtxt
 * (ONNX Runtime backend) and REPO/<name>/1/model.onnx. Input and output names and dims are read
 * from the exported ONNX graph itself, so the two can never disagree.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConvzooError, type Model, type Preprocessing } from '@convzoo/core';
import { checkOutputPath, writeDirAtomic, writeFileAtomic } from '@convzoo/core/node';
import { buildOnnx, type ExportOptions } from '@convzoo/onnx';
import { exportOnnxFile } from '@convzoo/onnx/node';

export interface TritonOptions extends ExportOptions {
  /** max_batch_size (the ONNX batch dimension is dynamic). Default 8. */
  readonly maxBatch?: number;
  /** KIND_GPU with the TensorRT accelerator (FP32) instead of KIND_CPU. */
  readonly gpu?: boolean;
  /** Instances per device. Default 1. */
  readonly instances?: number;
}

/** Triton ModelConfig `parameters`: the model's preprocessing as JSON under `convzoo.preprocessing` (the key the ONNX file's metadata uses too). */
function parametersBlock(p: Preprocessing): string {
  return `parameters: {\n  key: "convzoo.preprocessing"\n  value: { string_value: ${JSON.stringify(JSON.stringify(p))} }\n}`;
}

interface TensorSpec {
  readonly name: string;
  /** Without the batch dimension. */
  readonly dims: readonly number[];
}

function tensorBlock(t: TensorSpec): string {
  return `  {\n    name: "${t.name}"\n    data_type: TYPE_FP32\n    dims: [ ${t.dims.join(', ')} ]\n  }`;
}

/** config.pbtxt text (protobuf text format, Triton's ModelConfig). */
export function tritonConfig(
  name: string, inputs: readonly TensorSpec[], outputs: readonly TensorSpec[], opts: TritonOptions = {}, preprocessing?: Preprocessing,
): string {
  const lines = [
    `name: "${name}"`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${opts.maxBatch ?? 8}`,
    `input [\n${inputs.map(tensorBlock).join(',\n')}\n]`,
    `output [\n${outputs.map(tensorBlock).join(',\n')}\n]`,
    'dynamic_batching { }',
    `instance_group [\n  {\n    count: ${opts.instances ?? 1}\n    kind: ${opts.gpu ? 'KIND_GPU' : 'KIND_CPU'}\n  }\n]`,
  ];
  if (preprocessing !== undefined) lines.push(parametersBlock(preprocessing));
  if (opts.gpu) {
    lines.push('optimization {\n  execution_accelerators {\n    gpu_execution_accelerator: [\n      {\n        name: "tensorrt"\n' +
      '        parameters { key: "precision_mode" value: "FP32" }\n      }\n    ]\n  }\n}');
  }
  return `${lines.join('\n')}\n`;
}

/** Triton model names: letters, digits, '_' and '-'. */
export function tritonName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '_');
}

/**
 * Writes REPO/<name>/{config.pbtxt,1/model.onnx}. The model folder is built beside its final
 * place and renamed into it, so a failure leaves any previous version intact (REPO is created if
 * missing, and removed again if the export fails).
 */
export function exportTriton(model: Model, repo: string, opts: TritonOptions = {}): { dir: string; config: string } {
  const maxBatch = opts.maxBatch ?? 8;
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) throw new ConvzooError('ARGUMENT_INVALID', `max batch must be a positive integer, got ${maxBatch}`);
  const name = tritonName(model.name);
  const { proto } = buildOnnx(model, opts);
  const spec = (vi: NonNullable<NonNullable<typeof proto.graph>['input']>[number]): TensorSpec => ({
    name: vi.name!,
    dims: vi.type!.tensorType!.shape!.dim!.slice(1).map((d) => Number(d.dimValue)),
  });
  const config = tritonConfig(name, proto.graph!.input!.map(spec), proto.graph!.output!.map(spec), opts, model.preprocessing);
  checkOutputPath(repo, 'directory');
  const final = join(repo, name);
  writeDirAtomic(final, (staging) => {
    mkdirSync(join(staging, '1'));
    exportOnnxFile(model, join(staging, '1', 'model.onnx'), opts);
    writeFileAtomic(join(staging, 'config.pbtxt'), config);
  }, { replace: true });
  return { dir: final, config };
}
