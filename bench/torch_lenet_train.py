"""Dev-time: PyTorch CPU training throughput of LeNet-5 (convzoo's `modern` variant: conv 6@5x5,
max pool, conv 16@5x5, max pool, dense 120-84-10, ReLU) at batch 64 with plain SGD and softmax
cross-entropy on random 32x32 images, the workload bench/tfjs times for convzoo on tfjs-wasm.

usage: /usr/bin/python3 bench/torch_lenet_train.py SAMPLES RUNS [THREADS]   (default: all cores)
Prints one JSON line: {"torch": version, "threads": n, "samplesPerSecond": [one per run]}.
"""
import json
import os
import sys
import time

import torch
from torch import nn

samples, runs = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count())
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(samples, 1, 32, 32) * 2 - 1
y = torch.randint(0, 10, (samples,))


def epoch():
    perm = torch.randperm(samples)
    for i in range(0, samples, 64):
        idx = perm[i:i + 64]
        opt.zero_grad()
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()


epoch()  # warm-up
rates = []
for _ in range(runs):
    t = time.perf_counter()
    epoch()
    rates.append(samples / (time.perf_counter() - t))
print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'samplesPerSecond': rates}))
