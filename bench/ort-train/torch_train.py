"""Dev-time contender for bench.mjs: PyTorch CPU training throughput, one process per block.

usage: /usr/bin/python3 torch_train.py lenet5-modern|lenet5-paper|resnet18|vgg11_bn|googlenet BATCH STEPS RUNS THREADS

lenet5-modern: convzoo's `modern` LeNet-5 (conv 6@5x5, max pool, conv 16@5x5, max pool, dense
120-84-10, ReLU), SGD with momentum 0.9, lr 0.01. lenet5-paper: convzoo's `paper` LeNet-5, the
network `convzoo train lenet5` trains (C1, S2 trainable subsampling, C3 with Table I's
connections, S4, C5, F6, all squashed by 1.7159 tanh(2x/3), then 10 logits), Adam with lr
2e-3 as that command's default. Both on random 32x32x1 images. resnet18: torchvision's
ResNet-18 on random 224x224x3 images, 1000 classes, SGD with momentum 0.9. vgg11_bn:
torchvision's VGG-11-BN on 64x64x3 images, laid out as convzoo's (the 2x2x512 features
flattened into the first Linear, no adaptive pooling to 7x7). googlenet: torchvision's GoogLeNet
with both auxiliary heads on 96x96x3 images, each head as convzoo's torchvision variant builds
it at that size (5x5 stride-3 average pooling, then 1x1 conv 128 and Linear 128 -> 1024), the
loss main + 0.3 x each head's. Softmax cross-entropy, as the convzoo contenders. After one warm-up run, prints one JSON line with
samples/s per run.
"""
import json
import sys
import time

import torch
import torchvision
from torch import nn
from torchvision.models.googlenet import InceptionAux

kind, batch, steps, runs, threads = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(threads)
torch.manual_seed(0)

# LeNet-5's Table I: which S2 maps (rows) each C3 map (columns) reads.
TABLE_I = ['X   XXX  XXXX XX', 'XX   XXX  XXXX X', 'XXX   XXX  X XXX', ' XXX  XXXX  X XX', '  XXX  XXXX XX X', '   XXX  XXXX XXX']


class ScaledTanh(nn.Module):
    def forward(self, x):
        return 1.7159 * torch.tanh(x * (2 / 3))


class Subsampling(nn.Module):
    """The sum of each 2x2 window times a per-map coefficient, plus a per-map bias."""

    def __init__(self, maps):
        super().__init__()
        self.coefficient = nn.Parameter(torch.ones(1, maps, 1, 1))
        self.bias = nn.Parameter(torch.zeros(1, maps, 1, 1))

    def forward(self, x):
        return nn.functional.avg_pool2d(x, 2) * 4 * self.coefficient + self.bias


class MaskedConv(nn.Conv2d):
    def __init__(self, table):
        super().__init__(len(table), len(table[0]), 5)
        mask = torch.tensor([[1.0 if c == 'X' else 0.0 for c in row] for row in table]).t()
        self.register_buffer('mask', mask[:, :, None, None])

    def forward(self, x):
        return self._conv_forward(x, self.weight * self.mask, self.bias)


class ConvzooAux(InceptionAux):
    """torchvision's auxiliary head as convzoo builds it: the paper's 5x5/3 average pool (1x1 at
    96x96) instead of adaptive pooling to 4x4, so fc1 reads 128 values."""

    def __init__(self, in_channels, num_classes):
        super().__init__(in_channels, num_classes)
        self.fc1 = nn.Linear(128, 1024)

    def forward(self, x):
        x = torch.flatten(self.conv(nn.functional.avg_pool2d(x, 5, 3)), 1)
        return self.fc2(self.dropout(nn.functional.relu(self.fc1(x))))


if kind == 'lenet5-modern':
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )
elif kind == 'lenet5-paper':
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), ScaledTanh(), Subsampling(6), ScaledTanh(),
        MaskedConv(TABLE_I), ScaledTanh(), Subsampling(16), ScaledTanh(),
        nn.Conv2d(16, 120, 5), ScaledTanh(), nn.Flatten(), nn.Linear(120, 84), ScaledTanh(), nn.Linear(84, 10),
    )
elif kind == 'vgg11_bn':
    model = torchvision.models.vgg11_bn(num_classes=1000)
    model.avgpool = nn.Identity()
    model.classifier[0] = nn.Linear(512 * 2 * 2, 4096)
elif kind == 'googlenet':
    model = torchvision.models.googlenet(num_classes=1000, aux_logits=True, init_weights=True)
    model.aux1, model.aux2 = ConvzooAux(512, 1000), ConvzooAux(528, 1000)
else:
    model = torchvision.models.resnet18(num_classes=1000)
SIDE = {'vgg11_bn': 64, 'googlenet': 96, 'resnet18': 224}
if kind.startswith('lenet5'):
    x = torch.rand(batch * steps, 1, 32, 32) * 2 - 1
    classes = 10
else:
    x = torch.rand(batch, 3, SIDE[kind], SIDE[kind]) * 2 - 1
    classes = 1000
model.train()
y = torch.randint(0, classes, (x.shape[0],))
if kind == 'lenet5-paper':
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
else:
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()


def run():
    for s in range(steps):
        i = (s * batch) % x.shape[0]
        opt.zero_grad()
        out = model(x[i:i + batch])
        yb = y[i:i + batch]
        if kind == 'googlenet':
            loss = loss_fn(out.logits, yb) + 0.3 * (loss_fn(out.aux_logits1, yb) + loss_fn(out.aux_logits2, yb))
        else:
            loss = loss_fn(out, yb)
        loss.backward()
        opt.step()


run()
rates = []
for _ in range(runs):
    t = time.perf_counter()
    run()
    rates.append(batch * steps / (time.perf_counter() - t))
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'samplesPerSecond': rates}))
