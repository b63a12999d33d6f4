// Dev-time cross-check (needs /usr/bin/python3 with python3-protobuf; never run in CI): every
// family's config.pbtxt, as `convzoo export --format triton` writes it, parsed by Google's own
// text-format parser (google.protobuf.text_format.Parse) against Triton's model_config.proto.
// No protoc: protobufjs turns the committed .proto into a FileDescriptorSet that Python loads.
//
// usage (after building): node scripts/triton-pbtxt-crosscheck.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

const proto = readFileSync(new URL('../src/__tests__/fixtures/triton/model_config.proto', import.meta.url), 'utf8');
const { root } = protobuf.parse(proto, { keepCase: true });
root.resolveAll();
const set = root.toDescriptor('proto3');
// protobufjs names a map's entry message after the field (`Parameters`); protoc, whose rules
// Python's descriptor pool enforces, names it `<CamelCaseField>Entry`.
function renameMapEntries(message) {
  for (const nested of message.nestedType ?? []) {
    renameMapEntries(nested);
    if (!nested.options?.mapEntry) continue;
    const field = message.field.find((f) => f.typeName === nested.name);
    const name = `${field.name.replace(/(^|_)([a-z0-9])/g, (_, _s, c) => c.toUpperCase())}Entry`;
    field.typeName = name;
    nested.name = name;
  }
}
set.file[0].messageType.forEach(renameMapEntries);
set.file[0].name = 'model_config.proto';
const cli = new URL('../dist/bin.js', import.meta.url).pathname;
const t = mkdtempSync(join(tmpdir(), 'convzoo-pbtxt-'));
try {
  writeFileSync(join(t, 'model_config.desc'), descriptor.FileDescriptorSet.encode(set).finish());
  const families = [
    ['lenet5', []], ['alexnet', ['--input-shape', '95,95,3', '--classes', '10']], ['vgg11_bn', ['--input-shape', '32,32,3', '--classes', '10']],
    ['resnet18', ['--input-shape', '64,64,3', '--classes', '10', '--gpu', '--max-batch', '16']], ['googlenet', ['--input-shape', '96,96,3', '--classes', '10']],
  ];
  for (const [name, flags] of families) execFileSync('node', [cli, 'export', name, ...flags, '--format', 'triton', '--out', join(t, 'repo')], { stdio: 'inherit' });
  execFileSync('/usr/bin/python3', ['-c', `
import glob, json, sys
from google.protobuf import descriptor_pb2, descriptor_pool, text_format
try:
    from google.protobuf.message_factory import GetMessageClass
except ImportError:
    from google.protobuf import message_factory
    GetMessageClass = lambda d: message_factory.MessageFactory().GetPrototype(d)
fds = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
pool = descriptor_pool.DescriptorPool()
for f in fds.file:
    pool.Add(f)
ModelConfig = GetMessageClass(pool.FindMessageTypeByName("inference.ModelConfig"))
for path in sorted(glob.glob(sys.argv[2] + "/*/config.pbtxt")):
    config = text_format.Parse(open(path).read(), ModelConfig())
    pre = json.loads(config.parameters["convzoo.preprocessing"].string_value)
    print(f"{config.name}: google.protobuf text_format OK; max_batch_size {config.max_batch_size}, input {config.input[0].name} {list(config.input[0].dims)}, "
          f"output {config.output[0].name} {list(config.output[0].dims)}, instance_group {text_format.MessageToString(config.instance_group[0], as_one_line=True)}, preprocessing {pre['preset']}")
for bad in ['max_batch: 4', 'input [ { data_type: TYPE_FLOAT32 } ]', 'max_batch_size: "8"']:
    try:
        text_format.Parse(bad, ModelConfig())
        print("ACCEPTED", bad); sys.exit(1)
    except text_format.ParseError as e:
        print(f"refused {bad!r}: {e}")
`, join(t, 'model_config.desc'), join(t, 'repo')], { stdio: 'inherit' });
} finally {
  rmSync(t, { recursive: true, force: true });
}
