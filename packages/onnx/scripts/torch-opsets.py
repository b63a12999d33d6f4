#!/usr/bin/python3
"""Dev-time: torch.onnx.export files at opsets 9, 11, 13 and 17, with a seeded input and torch's output.

Needs Debian's python3-torch and python3-torchvision (for /usr/bin/python3):

    /usr/bin/python3 scripts/torch-opsets.py small fixtures/torch        # LeNet-like, tiny conv/bn/pool, ReLU6/LeakyReLU/dilated pool (committed)
    /usr/bin/python3 scripts/torch-opsets.py torchvision /tmp/tv-opsets  # alexnet, vgg11, googlenet, resnet18 (not committed)
    node scripts/torch-opsets.mjs /tmp/tv-opsets                         # the parity table in IMPORT.md

Each model NAME gives NAME.opsetN.onnx (dynamic batch), NAME.input.npy (NHWC float32, batch 2:
convzoo's layout), NAME.input_nchw.npy (torch's) and NAME.output.npy (torch's eval-mode output).
Weights are seeded random; BatchNorm statistics and affine parameters are randomized so that
folding them is really exercised.
"""
import pathlib
import sys

import numpy as np
import torch
from torch import nn

OPSETS = (9, 11, 13, 17)


class LeNetLike(nn.Module):
    """LeNet-5's shape on 1 x 16 x 16: conv, tanh, average pool, conv, max pool, view, two Linears."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 4, 5)
        self.s2 = nn.AvgPool2d(2)
        self.c3 = nn.Conv2d(4, 8, 3)
        self.s4 = nn.MaxPool2d(2)
        self.f5 = nn.Linear(8 * 2 * 2, 16)
        self.f6 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.s2(torch.tanh(self.c1(x)))
        x = self.s4(torch.relu(self.c3(x)))
        x = x.view(x.size(0), -1)
        return torch.softmax(self.f6(torch.sigmoid(self.f5(x))), 1)


class TinyConvBnPool(nn.Module):
    """Conv / BatchNorm / pools as the torchvision families use them, on 3 x 12 x 11."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(6)
        self.pool = nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)
        self.conv2 = nn.Conv2d(6, 6, 3, padding=2, dilation=2, groups=3)
        self.bn2 = nn.BatchNorm2d(6)
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(6, 4)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = torch.relu(x + self.bn2(self.conv2(x)))
        return self.fc(self.drop(torch.flatten(self.avg(x), 1)))


class TinyReluSixLeaky(nn.Module):
    """What MobileNet-style and GAN-style torch models write, on 3 x 13 x 12: ReLU6 (opset 9: Relu
    then Clip max 6; later Clip 0..6), Hardtanh, LeakyReLU; conv1's weights x 8 make ReLU6's upper bound
    clip. (torch 1.13 cannot export a dilated max_pool2d at opset 9; the spec table covers it.)"""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(6)
        self.pool = nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)
        self.conv2 = nn.Conv2d(6, 6, 3, padding=1)
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(6, 4)
        with torch.no_grad():
            self.conv1.weight.mul_(8)

    def forward(self, x):
        x = self.pool(nn.functional.relu6(self.bn1(self.conv1(x))))
        x = nn.functional.leaky_relu(self.conv2(x), 0.1) + nn.functional.hardtanh(x, -0.5, 0.5)
        return self.fc(torch.flatten(self.avg(x), 1))


def randomize_batchnorm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5, generator=generator)
                m.running_var.uniform_(0.5, 1.5, generator=generator)
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.5, 0.5, generator=generator)


def export(name, model, shape, out):
    generator = torch.Generator().manual_seed(1)
    randomize_batchnorm(model, generator)
    model.eval()
    x = torch.randn(2, *shape, generator=generator)
    with torch.no_grad():
        y = model(x)
    for opset in OPSETS:
        path = out / f'{name}.opset{opset}.onnx'
        torch.onnx.export(model, x, str(path), opset_version=opset, input_names=['input'], output_names=['output'],
                          dynamic_axes={'input': {0: 'N'}, 'output': {0: 'N'}})
        print(f'{path}: {path.stat().st_size} bytes, output {tuple(y.shape)}')
    np.save(out / f'{name}.input.npy', x.permute(0, 2, 3, 1).contiguous().numpy().astype(np.float32))
    np.save(out / f'{name}.input_nchw.npy', x.numpy().astype(np.float32))
    np.save(out / f'{name}.output.npy', y.numpy().astype(np.float32))


def main():
    which, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if which == 'small':
        torch.manual_seed(0)
        export('lenet_like', LeNetLike(), (1, 16, 16), out)
        torch.manual_seed(0)
        export('tiny_conv_bn_pool', TinyConvBnPool(), (3, 12, 11), out)
        torch.manual_seed(0)
        export('tiny_relu6_leaky', TinyReluSixLeaky(), (3, 13, 12), out)
    elif which == 'torchvision':
        import torchvision.models as tv
        # AlexNet and VGG need 224 x 224 (their adaptive pools must see 6 x 6 and 7 x 7 maps);
        # ResNet and GoogLeNet pool globally, so a small input will do.
        builders = {
            'alexnet': (lambda: tv.alexnet(weights=None), 224),
            'vgg11': (lambda: tv.vgg11(weights=None), 224),
            'googlenet': (lambda: tv.googlenet(weights=None, aux_logits=False, init_weights=True), 64),
            'resnet18': (lambda: tv.resnet18(weights=None), 64),
        }
        for name, (build, size) in builders.items():
            torch.manual_seed(0)
            export(name, build(), (3, size, size), out)
    else:
        sys.exit(f'unknown set {which!r}: expected small or torchvision')


if __name__ == '__main__':
    main()
