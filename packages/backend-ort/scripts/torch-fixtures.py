#!/usr/bin/python3
"""Dev-time: ONNX files written by torch.onnx.export, with a seeded input and torch's output.

Needs Debian's python3-torch, python3-torchvision and python3-onnx (for /usr/bin/python3):
    apt-get install -y python3-torch python3-torchvision python3-onnx

    /usr/bin/python3 scripts/torch-fixtures.py tiny fixtures/        # the small CI fixture (committed)
    /usr/bin/python3 scripts/torch-fixtures.py torchvision /tmp/tv   # resnet18, googlenet, alexnet, vgg11 (not committed)

Each model NAME gives NAME.onnx (dynamic batch), NAME.input.npy (NCHW float32, batch 2) and
NAME.output.npy (torch's eval-mode output). Weights are seeded random; BatchNorm statistics and
affine parameters are randomized so that folding them is really exercised.
"""
import pathlib
import sys

import numpy as np
import torch
from torch import nn


class TinyCnn(nn.Module):
    """LeNet-sized, touching every idiom the importer handles."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)  # follows a conv: torch folds it into conv1
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.branch_a = nn.Conv2d(8, 6, 1)
        self.branch_b = nn.Sequential(nn.Conv2d(8, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU())
        self.bn_cat = nn.BatchNorm2d(10)  # after a concat: stays a BatchNormalization node
        self.grouped = nn.Conv2d(10, 10, 3, padding=1, groups=2)
        self.avg = nn.AvgPool2d(3, 2, padding=1, ceil_mode=True, count_include_pad=True)
        self.avg_excl = nn.AvgPool2d(2, 1, padding=1, count_include_pad=False)
        self.fc1 = nn.Linear(10 * 5 * 5, 16)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x):
        x = self.pool1(torch.relu(self.bn1(self.conv1(x))))
        x = self.bn_cat(torch.cat([self.branch_a(x), self.branch_b(x)], 1))
        x = x + torch.relu(self.grouped(x))
        # No LocalResponseNorm: torch 1.13 writes it as ~20 elementary nodes (with an If), not ONNX LRN.
        x = self.avg_excl(self.avg(x))
        x = torch.sigmoid(x)
        x = x.view(x.size(0), -1)  # Shape, Gather, Unsqueeze, Concat, Reshape
        x = self.drop(torch.tanh(self.fc1(x)))
        return torch.softmax(self.fc2(x), 1)


def randomize_batchnorm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5, generator=generator)
                m.running_var.uniform_(0.5, 1.5, generator=generator)
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.5, 0.5, generator=generator)


def export(name, model, shape, out, opsets):
    """Writes NAME.onnx (one opset) or NAME.opsetN.onnx (several), NAME.input.npy, NAME.output.npy."""
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    randomize_batchnorm(model, generator)
    model.eval()
    x = torch.randn(2, *shape, generator=generator)
    with torch.no_grad():
        y = model(x)
    for opset in opsets:
        path = out / (f'{name}.onnx' if len(opsets) == 1 else f'{name}.opset{opset}.onnx')
        torch.onnx.export(model, x, str(path), opset_version=opset, input_names=['input'], output_names=['output'],
                          dynamic_axes={'input': {0: 'N'}, 'output': {0: 'N'}})
        print(f'{path}: {path.stat().st_size} bytes, output {tuple(y.shape)}')
    np.save(out / f'{name}.input.npy', x.numpy().astype(np.float32))
    np.save(out / f'{name}.output.npy', y.numpy().astype(np.float32))


def main():
    which, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if which == 'tiny':
        torch.manual_seed(0)
        export('tiny_cnn', TinyCnn(), (3, 13, 15), out, (11, 17))
    elif which == 'torchvision':
        import torchvision.models as tv
        builders = {
            'resnet18': lambda: tv.resnet18(weights=None),
            'googlenet': lambda: tv.googlenet(weights=None, aux_logits=False, init_weights=True),
            'alexnet': lambda: tv.alexnet(weights=None),
            'vgg11': lambda: tv.vgg11(weights=None),
        }
        for name, build in builders.items():
            torch.manual_seed(0)
            export(name, build(), (3, 224, 224), out, (17,))
    else:
        sys.exit(f'unknown set {which!r}: expected tiny or torchvision')


if __name__ == '__main__':
    main()
