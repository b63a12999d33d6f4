"""Dev-time contender for bench.mjs: PyTorch CPU training throughput, one process per block.

usage: /usr/bin/python3 torch_train.py lenet5|resnet18 BATCH STEPS RUNS THREADS

lenet5: convzoo's `modern` LeNet-5 (conv 6@5x5, max pool, conv 16@5x5, max pool, dense
120-84-10, ReLU) on random 32x32x1 images; resnet18: torchvision's ResNet-18 on random
224x224x3 images, 1000 classes. SGD with momentum 0.9, lr 0.01, softmax cross-entropy, as the
convzoo contenders. After one warm-up run, prints one JSON line with samples/s per run.
"""
import json
import sys
import time

import torch
import torchvision
from torch import nn

kind, batch, steps, runs, threads = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(threads)
torch.manual_seed(0)
if kind == 'lenet5':
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )
    x = torch.rand(batch * steps, 1, 32, 32) * 2 - 1
    classes = 10
else:
    model = torchvision.models.resnet18(num_classes=1000)
    x = torch.rand(batch, 3, 224, 224) * 2 - 1
    classes = 1000
model.train()
y = torch.randint(0, classes, (x.shape[0],))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()


def run():
    for s in range(steps):
        i = (s * batch) % x.shape[0]
        opt.zero_grad()
        loss_fn(model(x[i:i + batch]), y[i:i + batch]).backward()
        opt.step()


run()
rates = []
for _ in range(runs):
    t = time.perf_counter()
    run()
    rates.append(batch * steps / (time.perf_counter() - t))
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'samplesPerSecond': rates}))
