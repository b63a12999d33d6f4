"""Dev-time: torchvision's own ONNX exports of the benchmarked architectures, for ONNX Runtime
to run beside convzoo's export of the same architecture (bench/ort-vs-torch.mjs).

usage: /usr/bin/python3 bench/torch_export.py OUT_DIR NAME...   (resnet50 googlenet vgg16)
Writes OUT_DIR/NAME.onnx: eval mode, random weights, opset 17, NCHW input with a dynamic batch.
"""
import sys
from pathlib import Path

import torch
import torchvision

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
builders = {
    'resnet50': lambda: torchvision.models.resnet50(weights=None),
    'googlenet': lambda: torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False),
    'vgg16': lambda: torchvision.models.vgg16(weights=None),
}
torch.manual_seed(0)
for name in sys.argv[2:]:
    path = out / f'{name}.onnx'
    if path.exists():
        continue
    model = builders[name]().eval()
    tmp = path.with_suffix('.tmp')
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), str(tmp), opset_version=17, input_names=['input'],
                      output_names=['output'], dynamic_axes={'input': {0: 'N'}, 'output': {0: 'N'}})
    tmp.rename(path)
    print(f'{path}: {path.stat().st_size / 2**20:.0f} MB', file=sys.stderr)
