"""Dev-time: torch.onnx.export graphs of torchvision models with their weights stripped, for the CI
tests of the ONNX-mapped path (no torch in CI). Every initializer a Conv, Gemm or
BatchNormalization reads (through torch's Identity sharing) keeps its name and dims but loses its
data; the test fills them with seeded numbers. Other initializers (shapes, GoogLeNet's
transform_input constants) are kept. Gzipped: a few KB each.

VGG and AlexNet are exported at small inputs with torchvision's adaptive pool replaced by the
identity and fc6's fan-in resized to the map left (convzoo flattens whatever pool5 leaves), 10
classes: the graph and node names are torchvision's, the file stays small to fill and run.

usage: /usr/bin/python3 scripts/make-onnx-fixtures.py   (from packages/weights)
"""
import gzip
import io

import onnx
import torch
import torchvision

TM = torch.onnx.TrainingMode
OUT = 'src/__tests__/fixtures/onnx'


def small_classifier(model, index, fan_in):
    model.avgpool = torch.nn.Identity()
    model.classifier[index] = torch.nn.Linear(fan_in, 4096)
    return model


# name: (model, input size, opset, do_constant_folding, training mode)
MODELS = {
    'resnet18': (lambda: torchvision.models.resnet18(num_classes=10), 64, 17, True, TM.EVAL),  # BN folded into the convs
    'googlenet': (lambda: torchvision.models.googlenet(num_classes=10, aux_logits=True, transform_input=True, init_weights=True), 96, 13, False, TM.PRESERVE),
    'vgg11_bn': (lambda: small_classifier(torchvision.models.vgg11_bn(num_classes=10), 0, 512 * 2 * 2), 64, 15, False, TM.PRESERVE),  # BN kept
    'alexnet': (lambda: small_classifier(torchvision.models.alexnet(num_classes=10), 1, 256 * 2 * 2), 95, 14, True, TM.EVAL),
}


def strip(proto):
    source = {}
    for n in proto.graph.node:
        if n.op_type == 'Identity':
            source[n.output[0]] = source.get(n.input[0], n.input[0])
    params = {source.get(i, i) for n in proto.graph.node if n.op_type in ('Conv', 'Gemm', 'BatchNormalization') for i in n.input[1:]}
    for t in proto.graph.initializer:
        if t.name in params:
            t.ClearField('raw_data')
            t.ClearField('float_data')
    return proto


for name, (build, size, opset, folding, training) in MODELS.items():
    torch.manual_seed(0)
    model = build().eval()
    f = io.BytesIO()
    torch.onnx.export(model, torch.zeros(1, 3, size, size), f, opset_version=opset, do_constant_folding=folding, training=training)
    proto = strip(onnx.load_from_string(f.getvalue()))
    with open(f'{OUT}/{name}.onnx.gz', 'wb') as out:
        out.write(gzip.compress(proto.SerializeToString(), mtime=0))
    print(name, size, opset, folding, training, len(proto.graph.node), 'nodes')
