/**
 * config.pbtxt of every family checked by Triton's own schema: fixtures/triton/model_config.proto
 * (read by protobufjs) and a protobuf text-format parser held to it (pbtxt.ts), not by string
 * matching. The names and dims must be those of the ONNX file beside it, and the
 * `convzoo.preprocessing` parameter must be the model's preprocessing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '@convzoo/arch-alexnet';
import '@convzoo/arch-inception';
import '@convzoo/arch-lenet';
import '@convzoo/arch-resnet';
import '@convzoo/arch-vgg';
import { checkPreprocessing, create, type Model } from '@convzoo/core';
import { decodeOnnx } from '@convzoo/onnx';
import protobuf from 'protobufjs';
import textformat from 'protobufjs/ext/textformat.js';
import { exportTriton } from '../triton.js';
import { loadSchema, parseTextFormat, type TextMessage } from './pbtxt.js';

const schema = loadSchema(readFileSync(new URL('./fixtures/triton/model_config.proto', import.meta.url), 'utf8'));
const parse = (text: string) => parseTextFormat(schema, 'inference.ModelConfig', text);
const ModelConfig = schema.lookupType('inference.ModelConfig');
/** protobufjs' own text-format reader (ext/textformat), as a second opinion on the same schema. */
const protobufjsParse = (text: string) =>
  ModelConfig.toObject(textformat.fromText(ModelConfig, text) as protobuf.Message, { enums: String, longs: Number }) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'convzoo-triton-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FAMILIES: [string, () => Model, { gpu?: boolean; maxBatch?: number }][] = [
  ['lenet5', () => create('lenet5'), {}],
  ['alexnet', () => create('alexnet', { variant: 'torchvision', inputShape: [95, 95, 3], numClasses: 10 }), { maxBatch: 32 }],
  ['vgg11_bn', () => create('vgg11_bn', { inputShape: [32, 32, 3], numClasses: 10 }), {}],
  ['resnet18', () => create('resnet18', { inputShape: [64, 64, 3], numClasses: 10 }), { gpu: true, maxBatch: 16 }],
  ['googlenet', () => create('googlenet', { inputShape: [96, 96, 3], numClasses: 10 }), {}],
];

describe('Triton config.pbtxt against model_config.proto', () => {
  it.each(FAMILIES)('%s: parses as inference.ModelConfig and agrees with its ONNX file', { timeout: 120_000 }, (name, build, opts) => {
    const model = build();
    const { dir: modelDir, config: text } = exportTriton(model, join(dir, name), opts);
    const config = parse(text);
    const second = protobufjsParse(text);
    expect(second).toMatchObject({ name: config.name, platform: config.platform, max_batch_size: config.max_batch_size, input: config.input, output: config.output });
    expect(second.parameters).toEqual({ 'convzoo.preprocessing': (config.parameters as TextMessage[])[0]!.value });
    const onnx = decodeOnnx(readFileSync(join(modelDir, '1', 'model.onnx')));
    expect(config.name).toBe(name);
    expect(config.platform).toBe('onnxruntime_onnx');
    expect(config.max_batch_size).toBe(opts.maxBatch ?? 8);
    const tensors = (list: TextValueList, graph: readonly { name: string; dims: readonly (number | string)[] }[]) => {
      expect(list.map((t) => t.name)).toEqual(graph.map((t) => t.name));
      expect(list.map((t) => t.dims)).toEqual(graph.map((t) => t.dims.slice(1)));
      expect(list.every((t) => t.data_type === 'TYPE_FP32')).toBe(true);
    };
    tensors(config.input as TextValueList, onnx.graph.inputs);
    tensors(config.output as TextValueList, onnx.graph.outputs);
    expect(config.dynamic_batching).toEqual({});
    expect(config.instance_group).toEqual([{ count: 1, kind: opts.gpu ? 'KIND_GPU' : 'KIND_CPU' }]);
    const [parameter, ...others] = config.parameters as TextValueList;
    expect(others).toEqual([]);
    expect(parameter!.key).toBe('convzoo.preprocessing');
    const preprocessing = JSON.parse((parameter!.value as TextMessage).string_value as string) as unknown;
    expect(preprocessing).toEqual(model.preprocessing);
    expect(() => checkPreprocessing(preprocessing as NonNullable<Model['preprocessing']>)).not.toThrow();
    if (opts.gpu) {
      const accelerators = ((config.optimization as TextMessage).execution_accelerators as TextMessage).gpu_execution_accelerator;
      expect(accelerators).toEqual([{ name: 'tensorrt', parameters: [{ key: 'precision_mode', value: 'FP32' }] }]);
    } else {
      expect(config.optimization).toBeUndefined();
    }
  });
});

type TextValueList = TextMessage[];

describe('the text-format parser holds a config to the schema', () => {
  const good = 'name: "m"\nmax_batch_size: 8\ninput [ { name: "x" data_type: TYPE_FP32 dims: [ 1, 2 ] } ]\n';
  it('reads what Triton reads', () => {
    expect(parse(`${good}# a comment\nparameters { key: "k" value: { string_value: "a" "b" } }`)).toEqual({
      name: 'm', max_batch_size: 8, input: [{ name: 'x', data_type: 'TYPE_FP32', dims: [1, 2] }], parameters: [{ key: 'k', value: { string_value: 'ab' } }],
    });
  });
  it.each([
    ['an unknown field', `${good}max_batch: 4`, 'line 4: unknown field "max_batch" in inference.ModelConfig; expected one of name, platform'],
    ['an unknown nested field', 'input [ { name: "x" dtype: TYPE_FP32 } ]', 'unknown field "dtype" in inference.ModelInput'],
    ['a string where an int goes', 'max_batch_size: "8"', 'inference.ModelConfig.max_batch_size is int32, expected an integer, got "8"'],
    ['an int where a string goes', 'name: 8', 'inference.ModelConfig.name is string, expected a quoted string, got 8'],
    ['an int32 out of range', 'max_batch_size: 2147483648', 'inference.ModelConfig.max_batch_size: 2147483648 is out of range for int32'],
    ['an unknown enum value', 'input [ { name: "x" data_type: TYPE_FLOAT32 } ]', 'inference.ModelInput.data_type: unknown DataType value TYPE_FLOAT32; expected one of TYPE_INVALID, TYPE_BOOL'],
    ['an unknown instance kind', 'instance_group [ { kind: KIND_TPU } ]', 'unknown Kind value KIND_TPU'],
    ['a singular field twice', 'name: "a"\nname: "b"', 'line 2: inference.ModelConfig.name is set twice (it is not repeated)'],
    ['a list for a singular field', 'name: [ "a" ]', 'inference.ModelConfig.name is not repeated: a list is not allowed'],
    ['a scalar without a colon', 'name "a"', "inference.ModelConfig.name: expected ':' after a scalar field name"],
    ['an unclosed message', 'dynamic_batching {', 'end of text: unexpected end of text'],
    ['two members of a oneof', 'version_policy { latest { num_versions: 1 } all { } }', 'inference.ModelVersionPolicy.all: oneof policy_choice already has latest'],
  ])('refuses %s (and so does protobufjs\' reader)', (_what, text, message) => {
    expect(() => parse(text)).toThrow(message);
    expect(() => protobufjsParse(text)).toThrow();
  });
});
